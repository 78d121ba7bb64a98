#!/usr/bin/env python3
"""PyTorch checkpoint fixtures for TensorTests (PyTorchCheckpointTests), written by torch itself.

    python3 Tests/Fixtures/pytorch/make_fixtures.py      (CPU, seconds; torch 2.x)

Every file is small (a few KB). The expected values are in expected.json, computed here from the
tensors torch reloads, so the Swift tests compare against torch's own reading of each file.

  training.pth     {"model": OrderedDict, "optimizer": Adam state, "config": {...}, "epoch": 3}
                   saved under the name "training.pth" so its archive folder is "training", not
                   "archive"; F32/F16/BF16/int64 tensors, a storage offset (a row of a bigger tensor),
                   two names tied to one tensor, a 0-d tensor, an nn.Parameter, floats and a 2**70 int.
  bare.pt          a bare state dict (no "model" key).
  state_dict.pth   {"state_dict": ..., "epoch": 1}, names with the `module.` prefix left on.
  globals.pth      tensors next to an argparse.Namespace and an object whose __reduce__ names
                   os.system: must load as inert placeholders, and nothing is run.
  noncontiguous.pth  a transposed view: strides that are not contiguous (refused).
  legacy.pth       _use_new_zipfile_serialization=False (pre-1.6 format; refused with how to re-save).
  deflated.pth     training.pth re-zipped with deflate (refused: entries must be stored).
  missing_storage.pth  training.pth without one data/<key> entry.
  short_storage.pth    training.pth with one storage entry cut shorter than its tensor.
"""
import argparse
import collections
import json
import os
import zipfile
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent


class RunsACommand:
    """Unpickling this with Python would call os.system; a safe reader must not."""
    def __reduce__(self):
        return (os.system, ("touch /tmp/facecap-pickle-was-executed",))


def expected_entry(t: torch.Tensor) -> dict:
    return dict(dtype=str(t.dtype).replace("torch.", ""), shape=list(t.shape),
                values=t.detach().float().flatten().tolist() if t.is_floating_point() else t.flatten().tolist())


def rezip(src: Path, dst: Path, *, compress=zipfile.ZIP_STORED, drop=None, cut=None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression=compress) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if drop and info.filename.endswith(drop):
                continue
            if cut and info.filename.endswith(cut):
                data = data[: len(data) // 2]
            zout.writestr(info.filename, data, compress_type=compress)


def main() -> None:
    torch.manual_seed(0)
    big = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8
    tied = torch.randn(2, 3)
    model = collections.OrderedDict()
    model["encoder.weight"] = torch.randn(2, 3)
    model["encoder.half"] = torch.randn(4).half()
    model["encoder.bf16"] = torch.randn(2, 2).bfloat16()
    model["embeddings.position_ids"] = torch.arange(5).unsqueeze(0)
    model["row"] = big[1]                     # storage offset 4, storage of 12 elements
    model["embed_tokens.weight"] = tied       # two names, one storage
    model["lm_head.weight"] = tied
    model["scale"] = torch.tensor(0.25)       # 0-d
    model["param"] = torch.nn.Parameter(torch.ones(3))
    opt = torch.optim.Adam([model["param"]], lr=1.5e-4)
    model["param"].grad = torch.ones(3)
    opt.step()
    cwd = os.getcwd()
    os.chdir(HERE)
    try:
        torch.save({"model": model, "optimizer": opt.state_dict(),
                    "config": {"lr": 1.5e-4, "name": "fixture", "flags": [True, None], "big": 2**70},
                    "epoch": 3}, "training.pth")
    finally:
        os.chdir(cwd)
    torch.save(collections.OrderedDict(a=torch.ones(2), b=torch.zeros(1, 2).half()), HERE / "bare.pt")
    torch.save({"state_dict": {"module.fc.weight": torch.eye(2)}, "epoch": 1}, HERE / "state_dict.pth")
    torch.save({"args": argparse.Namespace(lr=0.1), "hook": RunsACommand(), "weight": torch.full((2,), 3.0)},
               HERE / "globals.pth")
    torch.save({"w": torch.arange(6.0).reshape(2, 3).t()}, HERE / "noncontiguous.pth")
    torch.save({"w": torch.ones(2)}, HERE / "legacy.pth", _use_new_zipfile_serialization=False)
    rezip(HERE / "training.pth", HERE / "deflated.pth", compress=zipfile.ZIP_DEFLATED)
    rezip(HERE / "training.pth", HERE / "missing_storage.pth", drop="/data/1")
    rezip(HERE / "training.pth", HERE / "short_storage.pth", cut="/data/4")

    loaded = torch.load(HERE / "training.pth", weights_only=False)["model"]
    expected = {
        "training.pth": {name: expected_entry(t) for name, t in loaded.items()},
        "bare.pt": {k: expected_entry(v) for k, v in torch.load(HERE / "bare.pt").items()},
        "missing_storage_key": "1",
        "short_storage_key": "4",
    }
    storage_of = {}
    with zipfile.ZipFile(HERE / "training.pth") as z:
        assert "training/data.pkl" in z.namelist()
    # torch.save numbers storages in the order it meets them: which name uses which key.
    order = []
    for name, t in loaded.items():
        ptr = t.untyped_storage().data_ptr()
        if ptr not in order:
            order.append(ptr)
        storage_of[name] = order.index(ptr)
    expected["storage_index"] = storage_of
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print("wrote", sorted(p.name for p in HERE.iterdir()))


if __name__ == "__main__":
    main()
