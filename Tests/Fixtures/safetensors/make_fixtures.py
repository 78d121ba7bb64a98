"""Writes the safetensors fixtures TensorTests reads, using the reference `safetensors` library
(with torch), so the Swift reader is checked against files it did not write itself.

Run from this folder:  python3 make_fixtures.py
Writes reference.safetensors and sharded/{model-0000{1,2}-of-00002.safetensors,
model.safetensors.index.json}. The expected values in the Swift tests are IEEE bit patterns
written out by hand there, not read back from these files.
"""
import json
import os

import torch
from safetensors.torch import save_file

here = os.path.dirname(os.path.abspath(__file__))
inf = float("inf")

reference = {
    # F32: ordinary, negative, largest finite, smallest subnormal, infinity, negative zero.
    "f32": torch.tensor([[1.0, -2.5, 3.4028234663852886e38], [1.401298464324817e-45, inf, -0.0]],
                        dtype=torch.float32),
    # F16: 1, -2, largest finite (65504), smallest subnormal (2^-24), +inf, -inf, 0.5, -0.
    "f16": torch.tensor([[1.0, -2.0, 65504.0, 2.0 ** -24], [inf, -inf, 0.5, -0.0]], dtype=torch.float16),
    # BF16: 1, -2, 3.140625 (exact in bf16), +inf, 2^-126 (smallest normal).
    "bf16": torch.tensor([1.0, -2.0, 3.140625, inf, 2.0 ** -126], dtype=torch.bfloat16),
    # An int64 buffer like BLIP-2's position_ids: the file must still load.
    "position_ids": torch.arange(4, dtype=torch.int64).reshape(1, 4),
}
save_file(reference, os.path.join(here, "reference.safetensors"), metadata={"format": "pt"})

shard_dir = os.path.join(here, "sharded")
os.makedirs(shard_dir, exist_ok=True)
shards = {
    "model-00001-of-00002.safetensors": {
        "encoder.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3),
    },
    "model-00002-of-00002.safetensors": {
        "decoder.weight": torch.tensor([0.5, -0.25], dtype=torch.float16),
        "decoder.bias": torch.tensor([1.0], dtype=torch.bfloat16),
    },
}
weight_map = {}
total = 0
for file, tensors in shards.items():
    save_file(tensors, os.path.join(shard_dir, file), metadata={"format": "pt"})
    for name, t in tensors.items():
        weight_map[name] = file
        total += t.numel() * t.element_size()
with open(os.path.join(shard_dir, "model.safetensors.index.json"), "w") as f:
    json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2, sort_keys=True)
    f.write("\n")
