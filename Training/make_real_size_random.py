#!/usr/bin/env python3
"""Real-size random checkpoints in the published layouts, to measure facecap on them (not in CI).

    python3 Training/make_real_size_random.py /work/bigtmp/realsize

writes (about 20 GB; delete the folder afterwards):
  exp_blip/exp_blip_vitg_opt6.7b_trimmed.pth  LAVIS Blip2OPT image side: EVA ViT-g F32 (39 x 1408, MLP
                                             6144, patch 14, 224 px), ln_vision, 32 queries, BERT-base
                                             Q-Former F32 (cross-attention every 2nd layer), opt_proj
                                             [4096, 768]; {"model", "optimizer", "config", "epoch"}
  au_blip/au_blip_vitg_opt6.7b.pth           the same with the ViT's linear weights F16
                                             (vit_precision fp16), another seed
  opt-6.7b/                                  facebook/opt-6.7b's layout: config.json, F16 `decoder.*`
                                             tensors in pytorch_model-0000{1,2}-of-00002.bin (9.96 GB +
                                             3.36 GB) with pytorch_model.bin.index.json, no lm_head;
                                             tokenizer files borrowed from the tiny fixture (the real
                                             vocabulary cannot be downloaded here)
Each folder gets a facecap.json naming ../opt-6.7b.

Only one tensor is in memory at a time: the pickle is written with placeholder tensors (the
same opcodes torch.save writes) and each storage is then generated and written on its own through
torch's own zip writer (torch._C.PyTorchFileWriter), so the files are what torch.save makes.
Values: normal(0, 0.02), LayerNorm weights 1 and biases 0.
"""
import collections
import io
import json
import pickle
import shutil
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
TOKENIZER = ROOT / "Tests" / "Fixtures" / "lavis" / "opt"
OPT_CONFIG = {
    "_name_or_path": "facebook/opt-6.7b", "activation_dropout": 0.0, "activation_function": "relu",
    "architectures": ["OPTForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 2, "do_layer_norm_before": True,
    "dropout": 0.1, "eos_token_id": 2, "ffn_dim": 16384, "hidden_size": 4096, "init_std": 0.02, "layerdrop": 0.0,
    "max_position_embeddings": 2048, "model_type": "opt", "num_attention_heads": 32, "num_hidden_layers": 32,
    "pad_token_id": 1, "prefix": "</s>", "torch_dtype": "float16", "transformers_version": "4.21.0.dev0",
    "use_cache": True, "vocab_size": 50272, "word_embed_proj_dim": 4096,
}
STORAGE = {torch.float32: torch.FloatStorage, torch.float16: torch.HalfStorage, torch.int64: torch.LongStorage}


class Storage:
    def __init__(self, key: str, numel: int, dtype):
        self.key, self.numel, self.dtype = key, numel, dtype


class Placeholder:
    """Pickles like a tensor (torch._utils._rebuild_tensor_v2 over a storage) without its data."""
    def __init__(self, storage: Storage, shape):
        self.storage, self.shape = storage, tuple(shape)

    def __reduce_ex__(self, protocol):
        stride, acc = [], 1
        for n in reversed(self.shape):
            stride.insert(0, acc)
            acc *= n
        return (torch._utils._rebuild_tensor_v2,
                (self.storage, 0, self.shape, tuple(stride), False, collections.OrderedDict()))


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", STORAGE[obj.dtype], obj.key, "cpu", obj.numel)
        return None


def save(path: Path, tensors: list, wrap) -> int:
    """tensors: [(name, shape, dtype, kind)] in order; wrap(state_dict) -> the object saved."""
    sd = collections.OrderedDict()
    specs = []
    for i, (name, shape, dtype, kind) in enumerate(tensors):
        numel = 1
        for n in shape:
            numel *= n
        storage = Storage(str(i), numel, dtype)
        sd[name] = Placeholder(storage, shape)
        specs.append((storage, shape, kind))
    buf = io.BytesIO()
    TorchPickler(buf, protocol=2).dump(wrap(sd))
    writer = torch._C.PyTorchFileWriter(str(path))
    data = buf.getvalue()
    writer.write_record("data.pkl", data, len(data))
    writer.write_record("byteorder", b"little", 6)
    total = 0
    for storage, shape, kind in specs:
        if kind == "ones":
            t = torch.ones(shape, dtype=storage.dtype)
        elif kind == "zeros":
            t = torch.zeros(shape, dtype=storage.dtype)
        elif kind == "arange":
            t = torch.arange(storage.numel, dtype=storage.dtype).reshape(shape)
        else:
            t = (torch.randn(shape, dtype=torch.float32) * 0.02).to(storage.dtype)
        s = t.untyped_storage()
        writer.write_record(f"data/{storage.key}", s, s.nbytes())
        total += s.nbytes()
        del t, s
    writer.write_end_of_file()
    return total


def linear(prefix, out, inp, dtype=torch.float32, bias=True, bias_dtype=None):
    rows = [(prefix + ".weight", [out, inp], dtype, "randn")]
    if bias:
        rows.append((prefix + ".bias", [out], bias_dtype or dtype, "randn"))
    return rows


def norm(prefix, width, dtype=torch.float32):
    return [(prefix + ".weight", [width], dtype, "ones"), (prefix + ".bias", [width], dtype, "zeros")]


def lavis_tensors(vit_dtype) -> list:
    """REFERENCE.md section 8: the LAVIS Blip2OPT state dict of the published checkpoints."""
    d, mlp, layers, p = 1408, 6144, 39, 14
    rows = [("visual_encoder.cls_token", [1, 1, d], torch.float32, "randn"),
            ("visual_encoder.pos_embed", [1, 257, d], torch.float32, "randn")]
    rows += [("visual_encoder.patch_embed.proj.weight", [d, 3, p, p], vit_dtype, "randn"),
             ("visual_encoder.patch_embed.proj.bias", [d], vit_dtype, "randn")]
    for i in range(layers):
        b = f"visual_encoder.blocks.{i}"
        rows += norm(b + ".norm1", d)
        rows += [(b + ".attn.q_bias", [d], torch.float32, "randn"), (b + ".attn.v_bias", [d], torch.float32, "randn")]
        rows += linear(b + ".attn.qkv", 3 * d, d, vit_dtype, bias=False)
        rows += linear(b + ".attn.proj", d, d, vit_dtype)
        rows += norm(b + ".norm2", d)
        rows += linear(b + ".mlp.fc1", mlp, d, vit_dtype) + linear(b + ".mlp.fc2", d, mlp, vit_dtype)
    rows += norm("ln_vision", d)
    q = 768
    rows += [("query_tokens", [1, 32, q], torch.float32, "randn")]
    rows += norm("Qformer.bert.embeddings.LayerNorm", q)
    rows += [("Qformer.bert.embeddings.position_ids", [1, 512], torch.int64, "arange")]
    for i in range(12):
        l = f"Qformer.bert.encoder.layer.{i}"
        blocks = [(l + ".attention", q)] + ([(l + ".crossattention", d)] if i % 2 == 0 else [])
        for blk, kv in blocks:
            rows += linear(blk + ".self.query", q, q) + linear(blk + ".self.key", q, kv) + linear(blk + ".self.value", q, kv)
            rows += linear(blk + ".output.dense", q, q) + norm(blk + ".output.LayerNorm", q)
        rows += linear(l + ".intermediate_query.dense", 3072, q) + linear(l + ".output_query.dense", q, 3072)
        rows += norm(l + ".output_query.LayerNorm", q)
    rows += linear("opt_proj", 4096, q)
    return rows


def opt_tensors() -> list:
    h, ffn, f16 = 4096, 16384, torch.float16
    rows = [("decoder.embed_tokens.weight", [50272, h], f16, "randn"),
            ("decoder.embed_positions.weight", [2050, h], f16, "randn")]
    rows += norm("decoder.final_layer_norm", h, f16)
    for i in range(32):
        l = f"decoder.layers.{i}"
        for proj in ("k_proj", "v_proj", "q_proj", "out_proj"):
            rows += linear(f"{l}.self_attn.{proj}", h, h, f16)
        rows += norm(l + ".self_attn_layer_norm", h, f16)
        rows += linear(l + ".fc1", ffn, h, f16) + linear(l + ".fc2", h, ffn, f16)
        rows += norm(l + ".final_layer_norm", h, f16)
    return rows


def training_checkpoint(sd):
    return {"model": sd, "optimizer": {"state": {}, "param_groups": [{"lr": 1e-5, "params": []}]},
            "config": {"model": {"arch": "blip2_opt", "opt_model": "facebook/opt-6.7b"}}, "epoch": 9}


def main(out: Path) -> None:
    torch.manual_seed(0)
    start = time.time()
    opt = out / "opt-6.7b"
    opt.mkdir(parents=True, exist_ok=True)
    rows = opt_tensors()
    # Two shards like the Hub's (9.96 + 3.36 GB there; 10.2 + 3.1 GB here, cut before layer 24's fc1).
    cut = next(i for i, r in enumerate(rows) if r[0].startswith("decoder.layers.24.fc1"))
    shards = {"pytorch_model-00001-of-00002.bin": rows[:cut], "pytorch_model-00002-of-00002.bin": rows[cut:]}
    weight_map, total = {}, 0
    for name, part in shards.items():
        total += save(opt / name, part, lambda sd: sd)
        weight_map.update({r[0]: name for r in part})
        print(f"{name}: {(opt / name).stat().st_size / 1e9:.2f} GB ({time.time() - start:.0f} s)", flush=True)
    (opt / "pytorch_model.bin.index.json").write_text(json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2))
    (opt / "config.json").write_text(json.dumps(OPT_CONFIG, indent=2))
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(TOKENIZER / name, opt / name)
    for folder, file, dtype, seed in [("exp_blip", "exp_blip_vitg_opt6.7b_trimmed.pth", torch.float32, 1),
                                      ("au_blip", "au_blip_vitg_opt6.7b.pth", torch.float16, 2)]:
        torch.manual_seed(seed)
        (out / folder).mkdir(exist_ok=True)
        save(out / folder / file, lavis_tensors(dtype), training_checkpoint)
        (out / folder / "facecap.json").write_text('{"language_model": "../opt-6.7b"}\n')
        print(f"{folder}/{file}: {(out / folder / file).stat().st_size / 1e9:.2f} GB ({time.time() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
