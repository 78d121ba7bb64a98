#!/usr/bin/env python3
"""Trains the demo recognizer (Models/DFER-CLIP): DFER-CLIP's architecture at a small size, from scratch,
on synthetic expression clips (expression_clips.py), 8 classes (DFER-CLIP's 7 + contempt).

  nice -n 10 python3 Training/train_recognizer.py [--minutes 18] [--out Models/DFER-CLIP]

Steps: build a CLIP-format vocabulary; render the training clips (few intensity levels per clip, fast
1x supersampling) and, in a second process, the held-out clips (2x supersampling where training has 1x, 6 levels, written
as DFEW-style frame folders + annotation list); train; evaluate UAR/WAR on the held-out clips and on the
single-emotion stills of SampleFaces (a still = one frame padded to 16); export; write the model card.
Differences from DFER-CLIP's training, because nothing here is pretrained: every part is trained (the
text encoder too), AdamW instead of SGD, and frames of a training clip are drawn from its rendered levels.
"""
import argparse
import csv
import json
import math
import multiprocessing as mp
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_vocab  # noqa: E402
import expression_clips as ec  # noqa: E402
import recognizer_export  # noqa: E402
from dfer_clip import CLASSES_8, DESCRIPTORS, DFERCLIP, N_CTX, prompt_text, test_indices, tokenize  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAIN_SEED0, HELDOUT_SEED0 = 3_000_000, 4_000_000
NEUTRAL = CLASSES_8.index("neutral")


def default_config(vocab_size):
    return {"model_type": "dfer-clip", "embed_dim": 64, "n_ctx": N_CTX,
            "vision": {"image_size": 112, "patch_size": 16, "width": 48, "layers": 3, "heads": 4},
            "text": {"context_length": 40, "vocab_size": vocab_size, "width": 64, "layers": 2, "heads": 4},
            "temporal": {"frames": 16, "layers": 1, "heads": 4, "dim_head": 16, "mlp_dim": 128},
            "classes": CLASSES_8, "descriptors": [DESCRIPTORS[c] for c in CLASSES_8]}


def vocab_corpus():
    words = list(DESCRIPTORS.values()) + [prompt_text(d) for d in DESCRIPTORS.values()]
    words += [f"a face showing {c}" for c in CLASSES_8] * 2
    return words * 3


# ---------------------------------------------------------------- data
def _render_train(args):
    i, seed, emotion, levels, size = args
    clip = ec.sample_clip(seed, emotion)
    # Resized as the recognizer resizes its input (PIL bilinear), once here instead of every step.
    return i, clip, np.stack([np.asarray(Image.fromarray(ec.render_level(clip, lv, levels, 1)).resize((size, size), Image.BILINEAR))
                              for lv in range(levels)])


def render_training_set(per_class, levels, workers, size):
    jobs = [(i, TRAIN_SEED0 + i, CLASSES_8[i % 8], levels, size) for i in range(per_class * 8)]
    images = np.zeros((len(jobs), levels, size, size, 3), np.uint8)
    clips = [None] * len(jobs)
    with mp.Pool(workers) as pool:
        for i, clip, stack in pool.imap_unordered(_render_train, jobs, chunksize=4):
            images[i] = stack
            clips[i] = clip
    return clips, images


def render_heldout(folder, per_class, levels=6, supersampling=2):
    """DFEW-style held-out set: <folder>/<clip>/<frame>.png and <folder>/annotations.txt (`path num_frames label`,
    label 1-based in CLASSES_8 order)."""
    os.makedirs(folder, exist_ok=True)
    rows = []
    for i in range(per_class * 8):
        emotion = CLASSES_8[i % 8]
        clip = ec.sample_clip(HELDOUT_SEED0 + i, emotion)
        name = f"clip_{i:04d}"
        rows.append(f"{name} {clip['frames']} {CLASSES_8.index(emotion) + 1}")
        if os.path.isdir(os.path.join(folder, name)) and len(os.listdir(os.path.join(folder, name))) == clip["frames"]:
            continue  # rendered by an earlier, interrupted run
        os.makedirs(os.path.join(folder, name), exist_ok=True)
        rendered = {}
        for t in range(clip["frames"]):
            lv = ec.level_of(clip, t, levels)
            if lv not in rendered:
                rendered[lv] = Image.fromarray(ec.render_level(clip, lv, levels, supersampling))
            rendered[lv].save(os.path.join(folder, name, f"{t + 1:05d}.png"))
    with open(os.path.join(folder, "annotations.txt"), "w") as f:
        f.write("\n".join(rows) + "\n")


def train_indices(n, rng, segments=16):
    """DFER-CLIP's `_get_train_indices`: a random frame inside each of 16 equal segments (or all, padded)."""
    if n >= segments:
        edges = np.linspace(0, n, segments + 1)
        return [int(rng.integers(int(edges[k]), max(int(edges[k]) + 1, int(edges[k + 1])))) for k in range(segments)]
    return list(range(n)) + [n - 1] * (segments - n)


def batch_levels(clips, idx, levels, rng, still_p):
    """[B, 16] level index per frame: a clip's sampled frames, or a still (one frame near the apex) repeated."""
    rows = []
    for i in idx:
        c = clips[i]
        if rng.random() < still_p:
            apex = [t for t in range(c["frames"]) if ec.intensity(c, t) >= 0.6] or [c["frames"] // 2]
            rows.append([ec.level_of(c, int(rng.choice(apex)), levels)] * 16)
        else:
            rows.append([ec.level_of(c, t, levels) for t in train_indices(c["frames"], rng)])
    return torch.tensor(rows)


def to_pixels(u8):  # [..., 224, 224, 3] uint8 -> [..., 3, 224, 224] float, /255 only (DFER-CLIP's pipeline)
    t = torch.from_numpy(u8).float().div_(255)
    return t.movedim(-1, -3)


def augment(px, rng):
    """Per clip (all its levels alike, as one face track): a shift of up to 6 pixels, contrast, brightness and
    per-channel gain. 800 clips are few identities; without this the model learns them instead of expressions."""
    out = torch.empty_like(px)
    for b in range(px.shape[0]):
        dx, dy = (int(v) for v in rng.integers(-6, 7, 2))
        x = torch.roll(px[b], shifts=(dy, dx), dims=(-2, -1))
        contrast, brightness = float(rng.uniform(0.75, 1.25)), float(rng.uniform(-0.1, 0.1))
        gain = torch.tensor(rng.uniform(0.9, 1.1, 3), dtype=torch.float32).view(1, 3, 1, 1)
        out[b] = ((x - 0.5) * contrast + 0.5 + brightness).mul(gain).clamp(0, 1)
    return out


def fold_input_normalisation(vit, mean, std):
    """Training normalised pixels ((x - mean) / std); the engine, like DFER-CLIP, only divides by 255. conv1 has no
    bias, but a constant per-channel offset on every patch token is a shift of the patch rows of the positional
    embedding, so the normalisation folds into conv1 and positional_embedding exactly."""
    with torch.no_grad():
        w = vit.conv1.weight  # [width, 3, p, p]
        offset = (w * (mean / std).view(1, 3, 1, 1)).sum(dim=(1, 2, 3))
        w.div_(std.view(1, 3, 1, 1))
        vit.positional_embedding[1:] -= offset


# ---------------------------------------------------------------- evaluation
def uar_war(pred, truth, n_cls):
    pred, truth = np.asarray(pred), np.asarray(truth)
    war = float((pred == truth).mean())
    recalls = [float((pred[truth == c] == c).mean()) for c in range(n_cls) if (truth == c).any()]
    return float(np.mean(recalls)), war


def load_frames(paths, size):
    return np.stack([np.asarray(Image.open(p).convert("RGB").resize((size, size), Image.BILINEAR)) for p in paths])


def load_heldout_clips(folder, size):
    """([n, 16, size, size, 3] uint8 frames as DFER-CLIP's test loader samples them, [n] labels) of a DFEW-style set."""
    with open(os.path.join(folder, "annotations.txt")) as f:
        rows = [line.split() for line in f if line.strip()]
    clips = []
    for name, _, _ in rows:
        frames = sorted(os.listdir(os.path.join(folder, name)))
        clips.append(load_frames([os.path.join(folder, name, frames[k]) for k in test_indices(len(frames))], size))
    return np.stack(clips), np.array([int(label) - 1 for _, _, label in rows])


@torch.no_grad()
def evaluate_loaded(model, frames, truth, normalise=lambda px: px):
    """UAR/WAR over clips already sampled to 16 frames; `normalise` is the training-time pixel normalisation
    (identity once it is folded into the weights)."""
    pred = [int(model(normalise(to_pixels(frames[i]))[None]).argmax()) for i in range(len(frames))]
    return uar_war(pred, truth, 8)


def evaluate_clips(model, folder):
    frames, truth = load_heldout_clips(folder, model.image_encoder.input_resolution)
    return evaluate_loaded(model, frames, truth), len(truth)


@torch.no_grad()
def evaluate_stills(model):
    pred, truth = [], []
    with open(os.path.join(ROOT, "SampleFaces", "labels.csv")) as f:
        for row in csv.DictReader(f):
            if row["emotion"] in CLASSES_8:
                px = to_pixels(load_frames([os.path.join(ROOT, "SampleFaces", row["file"])] * 16, model.image_encoder.input_resolution))[None]
                pred.append(int(model(px).argmax()))
                truth.append(CLASSES_8.index(row["emotion"]))
    return uar_war(pred, truth, 8), len(pred)


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "Models", "DFER-CLIP"))
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/facecap-recognizer"))
    # Identities, not frames, are what the model lacks (800 clips: 35% held-out, 2000: 60%), so each clip
    # is rendered at 3 levels (neutral, half, apex) and the render budget buys 1000 clips per class.
    ap.add_argument("--train-per-class", type=int, default=1000)
    ap.add_argument("--heldout-per-class", type=int, default=20)
    ap.add_argument("--levels", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--minutes", type=float, default=30.0, help="training time cap (rendering excluded)")
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--eval-every", type=int, default=1000, help="steps between held-out readings (0: none)")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--still-p", type=float, default=0.25)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--augment", action="store_true", help="per-clip shifts, brightness, contrast and colour gain")
    args = ap.parse_args()
    torch.manual_seed(0)
    # One thread: on a shared, loaded machine a second thread mostly waits at barriers.
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    times = {}
    t_all = time.time()

    os.makedirs(args.cache, exist_ok=True)
    vocab_dir = os.path.join(args.cache, "vocab")
    vocab_size = clip_vocab.build(vocab_dir, vocab_corpus(), 600)
    tokenizer = clip_vocab.load(vocab_dir)
    config = default_config(vocab_size)
    heldout_dir = os.path.join(args.cache, f"heldout-{args.heldout_per_class}")
    heldout = None
    if not os.path.exists(os.path.join(heldout_dir, "annotations.txt")):
        heldout = mp.Process(target=render_heldout, args=(heldout_dir, args.heldout_per_class))
        heldout.start()

    t = time.time()
    train_file = os.path.join(args.cache, f"train-{args.train_per_class}-{args.levels}-{config['vision']['image_size']}.npz")
    full_size = os.path.join(args.cache, f"train-{args.train_per_class}-{args.levels}.npz")  # 224-pixel renders
    if os.path.exists(train_file):
        data = np.load(train_file, allow_pickle=True)
        clips, images = list(data["clips"]), data["images"]
    elif os.path.exists(full_size):
        data = np.load(full_size, allow_pickle=True)
        clips, size = list(data["clips"]), config["vision"]["image_size"]
        images = np.stack([np.stack([np.asarray(Image.fromarray(f).resize((size, size), Image.BILINEAR)) for f in clip])
                           for clip in data["images"]])
        np.savez(train_file, clips=np.array(clips, dtype=object), images=images)
    else:
        clips, images = render_training_set(args.train_per_class, args.levels, args.workers, config["vision"]["image_size"])
        np.savez(train_file, clips=np.array(clips, dtype=object), images=images)
    times["render training clips"] = time.time() - t
    labels = torch.tensor([CLASSES_8.index(c["emotion"]) for c in clips])
    print(f"{len(clips)} training clips x {args.levels} levels in {times['render training clips']:.0f}s", flush=True)

    prompts = tokenize(tokenizer, [prompt_text(d) for d in config["descriptors"]], config["text"]["context_length"])
    model = DFERCLIP(config, prompts)
    with torch.no_grad():  # from scratch, frames must outweigh the temporal net's randn class token and positions
        model.temporal_net.cls_token.mul_(0.02)
        model.temporal_net.pos_embedding.mul_(0.02)
    sample = images[:, :, ::4, ::4].reshape(-1, 3) / 255.0
    mean = torch.tensor(sample.mean(0), dtype=torch.float32).view(3, 1, 1)
    std = torch.tensor(sample.std(0), dtype=torch.float32).view(3, 1, 1)
    params = [p for n, p in model.named_parameters() if not n.startswith("clip_model_.")]
    params += [model.clip_model_.token_embedding.weight]
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0}],
                            lr=args.lr)
    curve = []
    heldout_frames = None
    t = time.time()
    step, cap = 0, args.minutes * 60
    model.train()
    while step < args.steps and time.time() - t < cap:
        frac = min(1.0, (time.time() - t) / cap)
        lr = args.lr * min(1.0, (step + 1) / 100) * 0.5 * (1 + math.cos(math.pi * max(frac, step / args.steps)))
        for g in opt.param_groups:
            g["lr"] = lr
        idx = rng.choice(len(clips), args.batch, replace=False)
        lv = batch_levels(clips, idx, args.levels, rng, args.still_p)  # [B, 16]
        px = to_pixels(images[idx])  # [B, L, 3, H, W]
        if rng.random() < 0.5:
            px = px.flip(-1)
        if args.augment:
            px = augment(px, rng)
        # The ViT sees each distinct rendered level once; frames gather their level's embedding.
        emb = model.image_encoder(((px - mean) / std).reshape(-1, *px.shape[2:])).view(len(idx), args.levels, -1)
        frames = torch.gather(emb, 1, lv[..., None].expand(-1, -1, emb.shape[-1]))
        # The prompt learner's prefix/suffix buffers are the (trained) token embedding's rows.
        e_grad = model.clip_model_.token_embedding(prompts)
        text = model.text_encoder(torch.cat([e_grad[:, :1], model.prompt_learner.ctx, e_grad[:, 1 + N_CTX:]], 1), prompts)
        text = text / text.norm(dim=-1, keepdim=True)
        logits = model.video_features(frames) @ text.t() / 0.01
        # Frame-level supervision speeds up the image encoder: apex frames are the clip's class, level 0 neutral.
        per_frame = (emb / emb.norm(dim=-1, keepdim=True)) @ text.t() / 0.01
        aux = F.cross_entropy(per_frame[:, -1], labels[idx]) + F.cross_entropy(per_frame[:, 0], torch.full((len(idx),), NEUTRAL))
        loss = F.cross_entropy(logits, labels[idx], label_smoothing=0.1) + 0.5 * aux
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        if step % 25 == 0:
            acc = float((logits.argmax(1) == labels[idx]).float().mean())
            print(f"step {step} loss {loss.item():.3f} batch acc {acc:.2f} lr {lr:.2e} {time.time() - t:.0f}s", flush=True)
        if args.eval_every and step % args.eval_every == 0 and (heldout is None or not heldout.is_alive()):
            # The learning curve on held-out clips, for the card: when it flattens, more steps will not help.
            if heldout_frames is None:
                heldout_frames = load_heldout_clips(heldout_dir, config["vision"]["image_size"])
            model.eval()
            clip_uar, clip_war = evaluate_loaded(model, *heldout_frames, normalise=lambda px: (px - mean) / std)
            model.train()
            curve.append({"step": step, "seconds": round(time.time() - t), "clip UAR": clip_uar, "clip WAR": clip_war})
            print(f"held-out at step {step}: UAR {clip_uar:.3f} WAR {clip_war:.3f}", flush=True)
    times["train"] = time.time() - t
    model.eval()
    fold_input_normalisation(model.image_encoder, mean, std)
    with torch.no_grad():  # the buffers the released layout stores, from the trained embedding
        e = model.clip_model_.token_embedding(prompts)
        model.prompt_learner.token_prefix.copy_(e[:, :1])
        model.prompt_learner.token_suffix.copy_(e[:, 1 + N_CTX:])

    t = time.time()
    if heldout is not None:
        heldout.join()
    times["wait for held-out rendering"] = time.time() - t
    t = time.time()
    (clip_uar, clip_war), n_clips = evaluate_clips(model, heldout_dir)
    (still_uar, still_war), n_stills = evaluate_stills(model)
    times["evaluate"] = time.time() - t
    recognizer_export.export(model, config, vocab_dir, args.out)
    times["total"] = time.time() - t_all
    metrics = {"steps": step, "held-out clips": n_clips, "clip UAR": clip_uar, "clip WAR": clip_war,
               "held-out stills": n_stills, "still UAR": still_uar, "still WAR": still_war,
               "training clips": len(clips), "levels": args.levels, "batch": args.batch, "lr": args.lr,
               "seconds": {k: round(v) for k, v in times.items()}, "curve": curve}
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)
    print(json.dumps(metrics, indent=1))


if __name__ == "__main__":
    main()
