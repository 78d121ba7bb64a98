#!/usr/bin/env python3
"""Recognizer fixtures: proof that facecap's Swift DFER-CLIP (Sources/Recognition) matches the PyTorch
reference in dfer_clip.py, and that its CLIP tokenizer matches transformers' CLIPTokenizer.

What it writes under Tests/Fixtures/recognition/ (committed, ~0.5 MB):
  tokenizer/vocab.json, merges.txt   a small vocabulary in OpenAI CLIP's file layout (clip_vocab.py)
  tokenizer_cases.json               tricky strings -> CLIPTokenizer input_ids
  tiny-f32/                          a tiny random DFER-CLIP, 7 DFEW classes: config.json, model.safetensors (F32),
                                     vocab.json, merges.txt
  tiny-f16/                          the same weights stored F16 (the half-precision path)
  tiny-released.pth                  a second tiny model stored as DFER-CLIP's released checkpoints are: a torch.save
                                     dict with `state_dict` (`module.` prefixes, prompt buffers, clip_model_
                                     duplicates), epoch, best_acc, optimizer, a pickled recorder object. A checkpoint
                                     carries no config, so its sizes follow the rules facecap infers them by
                                     (CLIP's heads = width / 64, the temporal net's dim_head = 64); reference_pth.json
  clip/00001.png ... 00020.png       a 20-frame clip (40x36 frames, so sampling and resizing both matter)
  still.png                          a still image (one frame, padded to 16)
  reference.json                     per input: frame indices, frame embeddings [16, e], normalised video feature,
                                     logits; plus the normalised class text features and the prompts' EOT positions
  (tiny-f16 has its own reference_f16.json: the F16 weights widened, same inputs.)

  python3 Training/make_recognizer_fixtures.py     (CPU, a few seconds; deterministic)
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
from PIL import Image
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_vocab  # noqa: E402
import recognizer_export  # noqa: E402
from dfer_clip import CLASSES_7, DESCRIPTORS, DFERCLIP, prompt_text, test_indices, tokenize  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "recognition")

TRICKY = [
    "a smiling mouth, raised cheeks, wrinkled eyes, and arched eyebrows.",
    "X X X X X X X X tears, a downward turned mouth.",
    "Don't  STOP   I'm here,   you'll see; they've 2 cats & we'd 10,000 dogs!!!",
    "  leading and trailing spaces \t\n ",
    "CAFÉ Crème brûlée — naïve façade",  # accents, an em dash
    "e\u0301 composed by NFC",  # e + combining acute -> é
    "tabs\tnew\nlines\r\nand\u00a0nbsp\u2003em space",
    "emoji 😀👍🏽 and 中文字符 mixed",
    "ümlaut ÄÖÜ ß straße İstanbul ΣΊΣΥΦΟΣ",
    "<|startoftext|>special<|endoftext|> tokens inside",
    "punctuation...!?;:'\"()[]{}<>/\\|@#$%^&*_+=~`",
    "it's 'quoted' and ''double'' and 're 've 'll 'd 'm 't",
    "numbers 3.14159 and 2024-12-01 and ٣٤ arabic digits",
    "",
    "a",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
]

# Sizes a released checkpoint's shapes determine: one 64-wide head per CLIP transformer and temporal layer.
TINY_RELEASED = {"model_type": "dfer-clip", "embed_dim": 32, "n_ctx": 8,
                 "vision": {"image_size": 32, "patch_size": 8, "width": 64, "layers": 1, "heads": 1},
                 "text": {"context_length": 36, "vocab_size": 0, "width": 64, "layers": 2, "heads": 1},
                 "temporal": {"frames": 16, "layers": 1, "heads": 1, "dim_head": 64, "mlp_dim": 40},
                 "classes": CLASSES_7, "descriptors": [DESCRIPTORS[c] for c in CLASSES_7]}

TINY = {"model_type": "dfer-clip", "embed_dim": 24, "n_ctx": 8,
        "vision": {"image_size": 32, "patch_size": 8, "width": 32, "layers": 2, "heads": 4},
        "text": {"context_length": 36, "vocab_size": 0, "width": 32, "layers": 2, "heads": 4},
        "temporal": {"frames": 16, "layers": 1, "heads": 2, "dim_head": 8, "mlp_dim": 48},
        "classes": CLASSES_7, "descriptors": [DESCRIPTORS[c] for c in CLASSES_7]}


def randomize(model, gen):
    """Default inits leave LayerNorms at 1/0 and biases small: make every tensor matter to the output."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.startswith("clip_model_.") and not name.startswith("clip_model_.token_embedding"):
                continue
            if "ln" in name.split(".")[-2] or name.endswith("norm.weight") or name.endswith("norm.bias"):
                p.copy_((1.0 if name.endswith("weight") else 0.0) + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))


def write_frames(gen):
    os.makedirs(os.path.join(OUT, "clip"), exist_ok=True)
    yy, xx = np.mgrid[0:36, 0:40].astype(np.float32)
    for t in range(20):
        img = np.stack([128 + 100 * np.sin(xx / (4 + t % 5) + t), 128 + 100 * np.cos(yy / 5 + t / 3),
                        (xx * 3 + yy * 2 + t * 11) % 256], -1)
        img = np.clip(img + np.asarray(torch.randn(36, 40, 3, generator=gen)) * 10, 0, 255).astype(np.uint8)
        Image.fromarray(img, "RGB").save(os.path.join(OUT, "clip", f"{t + 1:05d}.png"))
    still = (np.asarray(torch.rand(30, 27, 3, generator=gen)) * 255).astype(np.uint8)
    Image.fromarray(still, "RGB").save(os.path.join(OUT, "still.png"))


def pixels(paths, size):
    return torch.stack([torch.from_numpy(np.array(Image.open(p).convert("RGB").resize((size, size), Image.BILINEAR)))
                        .float().div(255).permute(2, 0, 1) for p in paths])


@torch.no_grad()
def reference(model, size):
    clip_frames = sorted(os.listdir(os.path.join(OUT, "clip")))
    inputs = {"clip": [os.path.join(OUT, "clip", f) for f in clip_frames], "still.png": [os.path.join(OUT, "still.png")]}
    text = model.text_features()
    out = {"text_features": text.flatten().tolist(), "eot": model.tokenized_prompts.argmax(-1).tolist(), "inputs": {},
           "sampling": {str(n): test_indices(n) for n in list(range(1, 41)) + [47, 64, 100, 333]}}
    for name, files in inputs.items():
        idx = test_indices(len(files))
        px = pixels([files[i] for i in idx], size)[None]
        frames = model.frame_embeddings(px)
        video = model.video_features(frames)
        logits = video @ text.t() / 0.01
        out["inputs"][name] = {"frames": idx, "frame_embeddings": frames.flatten().tolist(),
                               "video_feature": video.flatten().tolist(), "logits": logits.flatten().tolist(),
                               "top": int(logits.argmax())}
    return out


def make_model(sizes, vocab_size, tok, gen):
    config = json.loads(json.dumps(sizes))
    config["text"]["vocab_size"] = vocab_size
    prompts = tokenize(tok, [prompt_text(d) for d in config["descriptors"]], config["text"]["context_length"])
    model = DFERCLIP(config, prompts)
    randomize(model, gen)
    with torch.no_grad():  # the prompt buffers follow the (randomised) token embedding, as at DFER-CLIP's init
        e = model.clip_model_.token_embedding(prompts)
        model.prompt_learner.token_prefix.copy_(e[:, :1])
        model.prompt_learner.token_suffix.copy_(e[:, 9:])
    model.config = config
    return model.eval()


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)

    vocab_dir = os.path.join(OUT, "tokenizer")
    corpus = list(DESCRIPTORS.values()) * 4 + [t for t in TRICKY if t] * 2
    vocab_size = clip_vocab.build(vocab_dir, corpus, 700)
    tok = clip_vocab.load(vocab_dir)
    cases = [{"text": t, "ids": tok(t)["input_ids"]} for t in TRICKY]
    with open(os.path.join(OUT, "tokenizer_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"reference": f"transformers {__import__('transformers').__version__} CLIPTokenizer", "cases": cases},
                  f, ensure_ascii=False, indent=0)

    model = make_model(TINY, vocab_size, tok, gen)
    config = model.config
    prompts = model.tokenized_prompts

    write_frames(gen)
    size = config["vision"]["image_size"]
    recognizer_export.export(model, config, vocab_dir, os.path.join(OUT, "tiny-f32"), dtype=torch.float32)
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(reference(model, size), f)

    # The half-precision folder, and the reference for exactly those (rounded) weights.
    recognizer_export.export(model, config, vocab_dir, os.path.join(OUT, "tiny-f16"), dtype=torch.float16)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.startswith(recognizer_export.STORED_PREFIXES):
                p.copy_(p.half().float())
        e = model.clip_model_.token_embedding(prompts)
        model.prompt_learner.token_prefix.copy_(e[:, :1])
        model.prompt_learner.token_suffix.copy_(e[:, 9:])
    with open(os.path.join(OUT, "reference_f16.json"), "w") as f:
        json.dump(reference(model, size), f)
    released = make_model(TINY_RELEASED, vocab_size, tok, gen)
    recognizer_export.save_released_layout(released, os.path.join(OUT, "tiny-released.pth"), epoch=3, best_acc=41.5)
    with open(os.path.join(OUT, "reference_pth.json"), "w") as f:
        json.dump(reference(released, size), f)
    total = sum(os.path.getsize(os.path.join(d, x)) for d, _, xs in os.walk(OUT) for x in xs)
    print(f"wrote {OUT}: {total / 1e6:.2f} MB, vocab {vocab_size}, {len(cases)} tokenizer cases")


if __name__ == "__main__":
    main()
