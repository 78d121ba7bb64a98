#!/usr/bin/env python3
"""LAVIS fixtures: proof that facecap reads the published checkpoints' formats unchanged.

The published AU-BLIP / Exp-BLIP are LAVIS `Blip2OPT` state dicts saved with torch.save
({"model": ..., "optimizer": ..., ...}); the OPT they need, facebook/opt-6.7b, ships as `.bin`
shards named `decoder.*`. This script builds a tiny random Blip2ForConditionalGeneration with
transformers, writes its weights in exactly those layouts, and records what transformers computes
with `vision_model.post_layernorm.eps = 1e-5` (LAVIS's `ln_vision`), so the Swift tests can check
facecap against it. Everything lands in Tests/Fixtures/lavis/ (about 400 KB):

  opt/                       the tiny OPT as facebook/opt-6.7b lays it out: config.json, vocab.json,
                             merges.txt, tokenizer_config.json, special_tokens_map.json,
                             pytorch_model-0000{1,2}-of-00002.bin (F16, `decoder.*`, no lm_head),
                             pytorch_model.bin.index.json
  exp-blip-f32/              tiny_exp_blip.pth: F32, no opt_model.*, with optimizer state, config and
                             the unused Q-Former buffers LAVIS saves; config.json (Blip2Config, the
                             head counts a tiny model cannot take from a preset); facecap.json
                             {"language_model": "../opt"}
  au-blip-f16vit/            tiny_au_blip.pth: the ViT's linear weights and biases F16 (vit_precision
                             fp16), norms / cls / pos / q_bias / v_bias F32, and opt_model.* (F16)
                             inside; config.json; tokenizer files (so it also loads with its own OPT)
  <model>/reference.safetensors, reference.json
                             pixel values, vision hidden state (after post_layernorm), Q-Former
                             output, projected queries, logits of [queries][</s>], and generate()
                             ids for the authors' decoding (beam 5, max 200 new, min 1, eos "\\n")
                             and greedy, with their decision margins

How to regenerate:  python3 Training/make_lavis_fixtures.py     (CPU, about a minute)
Needs Tests/Fixtures/parity/tiny-f32 (its tokenizer) from make_parity_fixtures.py. Deterministic.
Run with torch 2.15.0 (CPU), transformers 5.24.0.
"""
from __future__ import annotations

import collections
import copy
import json
import shutil
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_parity_fixtures import (BOS_ID, IMAGE_MEAN, IMAGE_STD, PAD_ID, MarginRecorder,  # noqa: E402
                                  make_config, randomize, top2_gap)

import transformers  # noqa: E402
from transformers import AutoTokenizer, Blip2ForConditionalGeneration  # noqa: E402
from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures"
TOKENIZER = FIXTURES / "parity" / "tiny-f32"
OUT = FIXTURES / "lavis"
TOKENIZER_FILES = ["vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"]

SPEC = dict(
    vision=dict(hidden_size=16, num_attention_heads=2, num_hidden_layers=2, intermediate_size=32,
                image_size=14, patch_size=7),
    qformer=dict(hidden_size=16, num_attention_heads=2, num_hidden_layers=3, intermediate_size=24,
                 cross_attention_frequency=2),
    num_query_tokens=4,
    text=dict(hidden_size=32, num_attention_heads=2, num_hidden_layers=2, ffn_dim=64,
              max_position_embeddings=256),
)
LN_VISION_EPS = 1e-5
MARGIN_FLOOR = 2e-3
EOS_BOOST = 2.5

# transformers name -> LAVIS name: the inverse of transformers' convert_blip_2_original_to_pytorch.py
# renames (REFERENCE.md section 3), written out independently of facecap's Swift table.
RENAMES = [
    ("vision_model.embeddings.class_embedding", "visual_encoder.cls_token"),
    ("vision_model.embeddings.position_embedding", "visual_encoder.pos_embed"),
    ("vision_model.embeddings.patch_embedding.", "visual_encoder.patch_embed.proj."),
    ("vision_model.encoder.layers.", "visual_encoder.blocks."),
    (".layer_norm1.", ".norm1."), (".layer_norm2.", ".norm2."),
    (".self_attn.qkv.", ".attn.qkv."), (".self_attn.projection.", ".attn.proj."),
    ("vision_model.post_layernorm.", "ln_vision."),
    ("qformer.layernorm.", "Qformer.bert.embeddings.LayerNorm."),
    ("qformer.encoder.", "Qformer.bert.encoder."),
    (".attention.attention.", ".attention.self."), (".crossattention.attention.", ".crossattention.self."),
    ("language_projection.", "opt_proj."),
    ("language_model.model.decoder.", "opt_model.model.decoder."),
    ("language_model.lm_head.", "opt_model.lm_head."),
]


def lavis_name(name: str) -> str:
    for a, b in RENAMES:
        name = name.replace(a, b)
    return name


def f16_round(t: torch.Tensor) -> torch.Tensor:
    return t.half().float()


@torch.no_grad()
def build_base(tok, seed: int) -> Blip2ForConditionalGeneration:
    image_id = tok.convert_tokens_to_ids("<image>")
    eos_id = tok("\n", add_special_tokens=False).input_ids[0]
    config = make_config(SPEC, len(tok), image_id, eos_id)
    torch.manual_seed(seed)
    model = Blip2ForConditionalGeneration(config).eval()
    randomize(model, seed, logit_scale=8.0)
    d = SPEC["vision"]["hidden_size"]
    for layer in model.vision_model.encoder.layers:
        layer.self_attn.qkv.bias[d:2 * d] = 0  # EVA has no key bias: cat(q_bias, 0, v_bias)
    # The frozen OPT ships in F16: make its values exactly F16 so every copy of it agrees.
    for p in model.language_model.parameters():
        p.copy_(f16_round(p))
    # Make "\n" (the stop token) likely enough that captions end before 200 tokens.
    model.language_model.get_input_embeddings().weight[eos_id] *= EOS_BOOST
    model.language_model.model.decoder.embed_tokens.weight.copy_(f16_round(model.language_model.model.decoder.embed_tokens.weight))
    model.vision_model.post_layernorm.eps = LN_VISION_EPS
    return model


def vit_linear(name: str) -> bool:
    return name.startswith("vision_model.") and any(
        k in name for k in (".self_attn.qkv.", ".self_attn.projection.", ".mlp.fc1.", ".mlp.fc2.", "patch_embedding."))


def lavis_state_dict(model, vit_f16: bool, with_opt: bool) -> collections.OrderedDict:
    sd = collections.OrderedDict()
    d = SPEC["vision"]["hidden_size"]
    for name, t in model.state_dict().items():
        t = t.detach().clone()
        if name.startswith("language_model.") and not with_opt:
            continue
        if name.startswith("language_model."):
            t = t.half()
        if name.endswith("self_attn.qkv.bias"):
            prefix = lavis_name(name)[: -len("qkv.bias")]
            sd[prefix + "q_bias"] = t[:d].clone()
            sd[prefix + "v_bias"] = t[2 * d:].clone()
            continue
        if vit_f16 and vit_linear(name):
            t = t.half()
        sd[lavis_name(name)] = t
    # Buffers and text-path weights LAVIS saves and captioning never reads.
    q = SPEC["qformer"]["hidden_size"]
    sd["Qformer.bert.embeddings.position_ids"] = torch.arange(32).unsqueeze(0)
    sd["Qformer.bert.embeddings.word_embeddings.weight"] = torch.randn(8, q)
    sd["Qformer.bert.encoder.layer.0.intermediate.dense.weight"] = torch.randn(24, q)
    sd["Qformer.bert.encoder.layer.0.output.dense.weight"] = torch.randn(q, 24)
    if with_opt:
        sd["opt_model.lm_head.weight"] = sd["opt_model.model.decoder.embed_tokens.weight"]  # tied: one storage
    return sd


def save_training_checkpoint(sd, path: Path) -> None:
    param = torch.nn.Parameter(sd["query_tokens"].clone())
    opt = torch.optim.AdamW([param], lr=1e-5)
    param.grad = torch.ones_like(param)
    opt.step()
    torch.save({"model": sd, "optimizer": opt.state_dict(),
                "config": {"run": {"lr_sched": "linear_warmup_cosine_lr", "init_lr": 1e-5}, "model": {"arch": "blip2_opt"}},
                "scaler": None, "epoch": 4}, path)


def write_opt_folder(model, tok, folder: Path) -> None:
    folder.mkdir(parents=True)
    dec = {k[len("language_model.model."):]: v.detach().half().clone()
           for k, v in model.state_dict().items() if k.startswith("language_model.model.decoder.")}
    names = list(dec)
    half = len(names) // 2
    shards = {"pytorch_model-00001-of-00002.bin": names[:half], "pytorch_model-00002-of-00002.bin": names[half:]}
    weight_map = {}
    for shard, keys in shards.items():
        torch.save(collections.OrderedDict((k, dec[k]) for k in keys), folder / shard)
        weight_map.update({k: shard for k in keys})
    total = sum(v.numel() * v.element_size() for v in dec.values())
    (folder / "pytorch_model.bin.index.json").write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2) + "\n")
    text = model.config.text_config.to_dict()
    text.update(architectures=["OPTForCausalLM"], torch_dtype="float16", _remove_final_layer_norm=False)
    (folder / "config.json").write_text(json.dumps(text, indent=2, sort_keys=True) + "\n")
    for name in TOKENIZER_FILES:
        shutil.copy(TOKENIZER / name, folder / name)


def blip2_config_json(model) -> str:
    cfg = model.config.to_dict()
    cfg["vision_config"]["post_layernorm_eps"] = LN_VISION_EPS  # facecap's key for ln_vision's eps
    return json.dumps(cfg, indent=2, sort_keys=True) + "\n"


@torch.no_grad()
def references(model, tok, image, name: str) -> tuple[dict, dict]:
    q = SPEC["num_query_tokens"]
    image_id = tok.convert_tokens_to_ids("<image>")
    eos_id = tok("\n", add_special_tokens=False).input_ids[0]
    s = SPEC["vision"]["image_size"]
    proc = BlipImageProcessorPil(size={"height": s, "width": s}, resample=3, do_resize=True, do_rescale=True,
                                 rescale_factor=1 / 255, do_normalize=True, image_mean=IMAGE_MEAN,
                                 image_std=IMAGE_STD, do_convert_rgb=True)
    pv = torch.from_numpy(proc(image, return_tensors="np")["pixel_values"])
    ids = torch.tensor([[image_id] * q + [BOS_ID]])
    captured = {}
    hooks = [model.vision_model.register_forward_hook(lambda m, i, o: captured.__setitem__("vision", o.last_hidden_state)),
             model.qformer.register_forward_hook(lambda m, i, o: captured.__setitem__("qformer", o.last_hidden_state)),
             model.language_projection.register_forward_hook(lambda m, i, o: captured.__setitem__("projected", o))]
    logits = model(pixel_values=pv, input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    for h in hooks:
        h.remove()
    tensors = {"pixel_values": pv, "vision_last_hidden_state": captured["vision"],
               "qformer_last_hidden_state": captured["qformer"], "projected_queries": captured["projected"],
               "logits": logits}

    base = dict(do_sample=False, max_new_tokens=200, min_new_tokens=1, eos_token_id=eos_id, pad_token_id=PAD_ID,
                bos_token_id=BOS_ID, length_penalty=1.0, repetition_penalty=1.0, early_stopping=False,
                num_return_sequences=1)
    cases = []
    for case, kw in [("authors_beam5", dict(base, num_beams=5)), ("greedy", dict(base, num_beams=1))]:
        with MarginRecorder(eos_id) as rec:
            out = model.generate(pixel_values=pv, input_ids=ids, attention_mask=torch.ones_like(ids),
                                 return_dict_in_generate=True, output_scores=True, **kw)
        new = out.sequences[0, ids.shape[1]:].tolist()
        margin = min(top2_gap(x) for x in out.scores) if kw["num_beams"] == 1 else min(rec.topk_gaps)
        cases.append(dict(name=case, generate_kwargs=kw, new_ids=new, margin_min=margin,
                          ended_with_eos=bool(new and new[-1] == eos_id),
                          text=tok.decode(new, skip_special_tokens=True).strip()))
    ref = dict(model=name, transformers_version=transformers.__version__, torch_version=torch.__version__.split("+")[0],
               post_layernorm_eps=LN_VISION_EPS, num_query_tokens=q, eos_token_id=eos_id, image_token_id=image_id,
               logits_input_ids=ids[0].tolist(), generation=cases,
               note="references computed in float32 on the weights exactly as saved (F16 tensors widened)")
    return ref, {k: v.contiguous().float() for k, v in tensors.items()}


def write_reference(folder: Path, ref: dict, tensors: dict) -> None:
    save_file(tensors, str(folder / "reference.safetensors"))
    (folder / "reference.json").write_text(json.dumps(ref, indent=1) + "\n")


def acceptable(ref: dict) -> bool:
    """Every decision clear of float noise, and captions that stop on "\n" well before 200 tokens."""
    return all(c["margin_min"] >= MARGIN_FLOOR and c["ended_with_eos"] and 4 <= len(c["new_ids"]) <= 80
               for c in ref["generation"])


def widened_like_saved(model, vit_f16: bool):
    m = copy.deepcopy(model)
    if vit_f16:
        with torch.no_grad():
            for name, p in m.named_parameters():
                if vit_linear(name):
                    p.copy_(f16_round(p))
    return m.eval()


def main() -> None:
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    transformers.logging.set_verbosity_error()
    tok = AutoTokenizer.from_pretrained(TOKENIZER)
    image = Image.open(FIXTURES / "test.png").convert("RGB")
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for seed in range(2024, 2200):
        model = build_base(tok, seed)
        probes = [widened_like_saved(model, f16) for f16 in (False, True)]
        ref_a, tensors_a = references(probes[0], tok, image, "exp-blip-f32")
        if not acceptable(ref_a):
            continue
        ref_b, tensors_b = references(probes[1], tok, image, "au-blip-f16vit")
        if acceptable(ref_b):
            break
    else:
        raise SystemExit("no seed gave clear margins and captions that end; widen the search")
    print(f"seed {seed}")
    write_opt_folder(model, tok, OUT / "opt")

    a = OUT / "exp-blip-f32"
    a.mkdir()
    save_training_checkpoint(lavis_state_dict(model, vit_f16=False, with_opt=False), a / "tiny_exp_blip.pth")
    (a / "config.json").write_text(blip2_config_json(model))
    (a / "facecap.json").write_text('{"language_model": "../opt"}\n')
    write_reference(a, ref_a, tensors_a)

    b = OUT / "au-blip-f16vit"
    b.mkdir()
    save_training_checkpoint(lavis_state_dict(model, vit_f16=True, with_opt=True), b / "tiny_au_blip.pth")
    (b / "config.json").write_text(blip2_config_json(model))
    for name in TOKENIZER_FILES:
        shutil.copy(TOKENIZER / name, b / name)
    write_reference(b, ref_b, tensors_b)

    for ref in (ref_a, ref_b):
        for c in ref["generation"]:
            print(f"{ref['model']:16} {c['name']:14} {len(c['new_ids']):3d} new, eos {c['ended_with_eos']!s:5} "
                  f"margin {c['margin_min']:.4f}  {c['text'][:50]!r}")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"fixtures: {total / 1e3:.0f} KB in {OUT}")


if __name__ == "__main__":
    main()
