#!/usr/bin/env python3
"""Sanity figure for facecap's attention maps on the demo pack: do words about brows look at the
brows, and words about the mouth at the mouth?

The faces in SampleFaces/ were drawn by render_face.py, so where the brows and the mouth are is
known: the renderer draws a face in units of s = 92 px (at 224 px) around (112, 114); brows between
y = -0.46 (fully raised) and -0.25, the mouth between 0.36 and 0.62 (corners up to the dropped
jaw). Those pixel bands, mapped onto the ViT's patch grid, are the "brow band" and "mouth band".
Pose jitter moves a face by a few pixels, less than a patch.

For every caption word about brows ("brow", "brows", "eyebrows"...) or the mouth ("lip", "lips",
"mouth", "jaw", "chin", "smile"...), its map is the mean of its tokens' maps (as the explorer's
word-by-word view shows it); the figure is the mean share of map mass in each band, beside the
share a uniform map would give.

Run:  python3 Training/attention_sanity.py [--facecap .build/release/facecap] [--jsonl saved.jsonl]
(captions every SampleFaces/face_*.png with the four demo models, --json --attention; a few minutes)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from clip_vocab import byte_alphabet

ROOT = Path(__file__).resolve().parent.parent
MODELS = ["AU-BLIP", "BLIP-2", "Emot-BLIP", "Exp-BLIP"]
BROW_WORDS = {"brow", "brows", "eyebrow", "eyebrows"}
MOUTH_WORDS = {"lip", "lips", "mouth", "jaw", "chin", "smile", "smiles", "smiling", "teeth", "dimple", "dimples", "dimpler"}

# render_face.py geometry at SIZE = 224: centre y 112 + 2, scale 92 px per face unit.
SIZE, CY, S = 224, 114.0, 92.0
BROW_Y = (-0.46, -0.25)
MOUTH_Y = (0.36, 0.62)


def band_rows(units: tuple[float, float], grid: int) -> range:
    top, bottom = (CY + u * S for u in units)
    patch = SIZE / grid
    return range(int(top // patch), int((bottom - 1e-9) // patch) + 1)


def byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level alphabet, inverted."""
    return {ch: b for b, ch in byte_alphabet()}


def words_with_tokens(ids: list[int], vocab: dict[int, str], decoder: dict[str, int]) -> list[tuple[str, list[int]]]:
    words: list[tuple[str, list[int]]] = []
    for t, i in enumerate(ids):
        piece = bytes(decoder.get(ch, 32) for ch in vocab.get(i, "")).decode("utf-8", "replace")
        if not piece.strip():
            continue
        if piece[0].isspace() or not words:
            words.append((piece.strip(), [t]))
        else:
            words[-1] = (words[-1][0] + piece.strip(), words[-1][1] + [t])
    return words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facecap", default=str(ROOT / ".build/release/facecap"))
    ap.add_argument("--jsonl", help="reuse saved `caption --json --attention` output instead of captioning")
    args = ap.parse_args()
    faces = sorted(str(p) for p in (ROOT / "SampleFaces").glob("face_*.png"))
    if args.jsonl and Path(args.jsonl).exists():
        lines = Path(args.jsonl).read_text().splitlines()
    else:
        out = subprocess.run([args.facecap, "caption", "--models", ",".join(MODELS), "--json", "--attention", *faces],
                             cwd=ROOT, check=True, capture_output=True, text=True)
        lines = out.stdout.splitlines()
        if args.jsonl:
            Path(args.jsonl).write_text(out.stdout)
    decoder = byte_decoder()
    vocab = {v: k for k, v in json.loads((ROOT / "Models/Exp-BLIP/vocab.json").read_text()).items()}
    sums = {"brow words": [0.0, 0.0, 0], "mouth words": [0.0, 0.0, 0], "all words": [0.0, 0.0, 0]}
    grid = None
    for line in lines:
        d = json.loads(line)
        maps = d["attention"]
        grid = len(maps[0])
        brow, mouth = band_rows(BROW_Y, grid), band_rows(MOUTH_Y, grid)
        for word, tokens in words_with_tokens(d["token_ids"], vocab, decoder):
            cells = [sum(maps[t][r][c] for t in tokens) / len(tokens) for r in range(grid) for c in range(grid)]
            total = sum(cells) or 1.0
            b = sum(cells[r * grid + c] for r in brow for c in range(grid)) / total
            m = sum(cells[r * grid + c] for r in mouth for c in range(grid)) / total
            key = word.lower().strip(".,;:!?")
            classes = ["all words"] + (["brow words"] if key in BROW_WORDS else []) + (["mouth words"] if key in MOUTH_WORDS else [])
            for k in classes:
                sums[k][0] += b
                sums[k][1] += m
                sums[k][2] += 1
    brow, mouth = band_rows(BROW_Y, grid), band_rows(MOUTH_Y, grid)
    print(f"{len(lines)} captions ({len(faces)} faces x {len(MODELS)} models), patch grid {grid}x{grid}; "
          f"brow band = patch rows {brow.start}-{brow.stop - 1}, mouth band = rows {mouth.start}-{mouth.stop - 1}")
    print(f"{'words':12} {'n':>5} {'brow-band mass':>15} {'mouth-band mass':>16}")
    for k, (b, m, n) in sums.items():
        if n:
            print(f"{k:12} {n:5d} {b / n:15.3f} {m / n:16.3f}")
    print(f"{'uniform map':12} {'':>5} {len(brow) / grid:15.3f} {len(mouth) / grid:16.3f}")


if __name__ == "__main__":
    sys.exit(main())
