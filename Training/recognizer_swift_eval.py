#!/usr/bin/env python3
"""UAR/WAR of a recognizer as facecap's Swift engine computes them (`facecap recognize --json`), on a DFEW-style
clip list (`path num_frames label`, labels 1-based in the model's class order) and on SampleFaces' single-emotion
stills. Checks the Swift engine end to end on the same held-out data the training script evaluates in PyTorch.

  python3 Training/recognizer_swift_eval.py --facecap .build/release/facecap --model Models/DFER-CLIP \
      --clips ~/.cache/facecap-recognizer/heldout-20/annotations.txt [--write]

--write adds the Swift readings (UAR/WAR, per-class recall, confusions) to the model's metrics.json under
"swift engine", for the model card.
"""
import argparse
import csv
import json
import os
import subprocess

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def uar_war(pred, truth, classes):
    pred, truth = np.asarray(pred), np.asarray(truth)
    recalls = [float((pred[truth == c] == c).mean()) for c in classes if (truth == c).any()]
    return float(np.mean(recalls)), float((pred == truth).mean())


def per_class(pred, truth, classes):
    """Recall per class and the off-diagonal confusions, most frequent first."""
    pred, truth = np.asarray(pred), np.asarray(truth)
    recall = {c: float((pred[truth == i] == i).mean()) for i, c in enumerate(classes) if (truth == i).any()}
    pairs = {}
    for p, t in zip(pred, truth):
        if p != t:
            pairs[(classes[t], classes[p])] = pairs.get((classes[t], classes[p]), 0) + 1
    confusions = [{"truth": t, "said": p, "count": n} for (t, p), n in sorted(pairs.items(), key=lambda kv: -kv[1])]
    return recall, confusions


def recognize(facecap, model, inputs):
    out = subprocess.run([facecap, "recognize", "--model", model, "--json"] + inputs, capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--facecap", default=os.path.join(ROOT, ".build", "release", "facecap"))
    ap.add_argument("--model", default=os.path.join(ROOT, "Models", "DFER-CLIP"))
    ap.add_argument("--clips", required=True)
    ap.add_argument("--write", action="store_true", help="add the readings to the model's metrics.json")
    args = ap.parse_args()
    folder = os.path.dirname(args.clips)
    rows = [line.split() for line in open(args.clips) if line.strip()]
    results = recognize(args.facecap, args.model, [os.path.join(folder, r[0]) for r in rows])
    classes = results[0]["classes"]
    pred = [classes.index(r["top"]) for r in results]
    truth = [int(r[2]) - 1 for r in rows]
    clip_uar, clip_war = uar_war(pred, truth, range(len(classes)))
    recall, confusions = per_class(pred, truth, classes)
    print(f"held-out clips (Swift): n={len(rows)} UAR={clip_uar:.3f} WAR={clip_war:.3f}")
    print("  recall: " + ", ".join(f"{c} {r:.2f}" for c, r in recall.items()))
    print("  confusions: " + (", ".join(f"{x['truth']} -> {x['said']} x{x['count']}" for x in confusions) or "none"))
    stills = [row for row in csv.DictReader(open(os.path.join(ROOT, "SampleFaces", "labels.csv"))) if row["emotion"] in classes]
    results = recognize(args.facecap, args.model, [os.path.join(ROOT, "SampleFaces", r["file"]) for r in stills])
    pred = [classes.index(r["top"]) for r in results]
    truth = [classes.index(r["emotion"]) for r in stills]
    uar, war = uar_war(pred, truth, range(len(classes)))
    print(f"SampleFaces stills (Swift): n={len(stills)} UAR={uar:.3f} WAR={war:.3f}")
    if args.write:
        path = os.path.join(args.model, "metrics.json")
        metrics = json.load(open(path))
        still_recall, still_confusions = per_class(pred, truth, classes)
        metrics["swift engine"] = {"clip UAR": clip_uar, "clip WAR": clip_war, "clip recall": recall,
                                   "clip confusions": confusions, "still UAR": uar, "still WAR": war,
                                   "still recall": still_recall, "still confusions": still_confusions}
        with open(path, "w") as f:
            json.dump(metrics, f, indent=1)


if __name__ == "__main__":
    main()
