"""Labelled synthetic faces: identity + pose + AU intensities (+ emotion), deterministic from a seed."""
import json

import numpy as np

import facs
from render_face import render, sample_identity, sample_pose

KINDS = ["emotion", "compound", "neutral", "random"]
# The kind mix of each training part: the AU part is mostly random AU combinations (AU labels only), the
# emotion part (and the held-out set) prototype, compound and neutral faces.
PART_KINDS = {"au": (["random", "emotion", "compound", "neutral"], [0.55, 0.3, 0.1, 0.05]),
              "emotion": (["emotion", "compound", "neutral"], [0.7, 0.15, 0.15])}


def part_kinds(rng, part, n):
    """Kinds of faces 0..n-1 of a part; face i's kind is the same for every n (one uniform draw per face, in order)."""
    kinds, p = PART_KINDS[part]
    return [str(k) for k in rng.choice(kinds, n, p=p)]


def _jitter(rng, aus):
    # Prototype AUs at visible intensities (2-5); the renderer is linear, so low ones stay faint.
    return {au: round(float(rng.uniform(2.2, 5.0)), 1) for au in aus}


def sample_labels(rng, kind):
    emotion, aus, unilateral = "", {}, 0
    if kind == "emotion":
        emo = facs.EMOTIONS[rng.integers(7)]
        aus = _jitter(rng, facs.PROTOTYPES[emo])
        if rng.random() < 0.3:  # an optional extra action that does not contradict the prototype
            extra = int(rng.choice([25, 17, 7, 10, 6, 43 if emo in ("sadness", "happiness") else 25]))
            if extra not in aus and not (extra == 25 and 24 in aus):
                aus[extra] = round(float(rng.uniform(2.2, 4.5)), 1)
        if emo == "contempt":
            unilateral = int(rng.choice([-1, 1]))
        emotion = emo
    elif kind == "compound":
        a, b = facs.COMPOUNDS[rng.integers(len(facs.COMPOUNDS))]
        aus = _jitter(rng, facs.PROTOTYPES[a])
        for au, v in _jitter(rng, facs.PROTOTYPES[b]).items():
            aus[au] = max(aus.get(au, 0), v)
        emotion = facs.emotion_name({a, b})
    elif kind == "neutral":
        emotion = "neutral"
    else:  # random AU combination, no emotion label
        k = int(rng.integers(1, 5))
        chosen = rng.choice(facs.RENDERED_AUS, size=k, replace=False)
        aus = _jitter(rng, [int(x) for x in chosen])
        if 43 in aus:  # closed eyes hide lid raise/tighten
            aus.pop(5, None); aus.pop(7, None)
        if 26 in aus:
            aus[25] = aus.get(25, round(float(rng.uniform(2.2, 5.0)), 1))
    if 26 in aus and 25 not in aus:
        aus[25] = round(float(rng.uniform(2.2, 4.0)), 1)  # a dropped jaw parts the lips
    return emotion, dict(sorted(aus.items())), unilateral


def make_face(seed, kind):
    """(PIL image, label record). The record is JSON-serialisable."""
    rng = np.random.default_rng(seed)
    ident = sample_identity(rng)
    pose = sample_pose(rng)
    emotion, aus, unilateral = sample_labels(rng, kind)
    img = render(ident, aus, pose, seed=seed, unilateral=unilateral)
    rec = {"seed": seed, "kind": kind, "emotion": emotion, "aus": aus, "unilateral": unilateral,
           "identity": ident, "pose": pose}
    return img, rec


def aus_field(aus):
    return " ".join(f"{au}:{v:g}" for au, v in sorted(aus.items()))


if __name__ == "__main__":
    img, rec = make_face(1, "emotion")
    print(json.dumps(rec, indent=1))
