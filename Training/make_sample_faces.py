"""SampleFaces/: the demo dataset facecap opens on first run (labels.csv + PNGs + astronaut.png)."""
import csv
import os
import shutil
import sys

import facs
from faces import make_face, aus_field

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SampleFaces")
SEED_BASE = 900_000  # far from the training/evaluation seed ranges


def plan():
    """(kind, forced emotion) list: every emotion 5x, every compound once, neutral, AU-only faces."""
    items = [("emotion", e) for e in facs.EMOTIONS[:7] for _ in range(5)]
    items += [("compound", "and".join(p)) for p in facs.COMPOUNDS]
    items += [("neutral", "neutral")] * 4 + [("random", "")] * 13
    return items


def main(out=ROOT):
    os.makedirs(out, exist_ok=True)
    rows, seed = [], SEED_BASE
    for i, (kind, want) in enumerate(plan()):
        while True:  # draw seeds until the sampled label is the one this slot wants
            img, rec = make_face(seed, kind)
            seed += 1
            got = rec["emotion"]
            if kind == "random" or got == want or (kind == "compound" and got.replace(" ", "") == want):
                break
        name = f"face_{i + 1:02d}.png"
        img.save(os.path.join(out, name))
        rows.append({"file": name, "emotion": rec["emotion"], "aus": aus_field(rec["aus"]),
                     "source": f"synthetic seed={rec['seed']}"})
    try:
        import skimage
        src = os.path.join(os.path.dirname(skimage.__file__), "data", "astronaut.png")
        shutil.copy(src, os.path.join(out, "astronaut.png"))
        rows.append({"file": "astronaut.png", "emotion": "", "aus": "",
                     "source": "scikit-image astronaut.png (NASA, public domain); no labels"})
    except ImportError:
        print("scikit-image not installed: astronaut.png skipped", file=sys.stderr)
    with open(os.path.join(out, "labels.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, ["file", "emotion", "aus", "source"])
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} rows -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
