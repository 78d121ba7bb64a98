"""Synthetic expression clips: one face animated neutral -> onset -> apex -> offset (-> neutral).

A clip is an identity, a pose and an expression's AU intensities at the apex (as `faces.sample_labels`
draws them for an "emotion" or "neutral" face), plus a per-frame intensity a(t) in [0, 1]: neutral
until onset starts, a linear rise, a held apex, a linear fall, neutral again; every length and where
the clip is cut are random, so a clip may end before its offset. The renderer is linear in AU
intensity, so frame t is the face rendered with every AU scaled by a(t).

Rendering dominates the cost, so frames whose intensities round to the same level are rendered once
(`levels` levels between 0 and 1; the training set uses few, the held-out set many).
"""
import numpy as np

import facs
import faces
import render_face
from dfer_clip import CLASSES_8

EMOTION_INDEX = {e: i for i, e in enumerate(CLASSES_8)}


def sample_clip(seed, emotion):
    """Clip description (JSON-serialisable) for a clip of `emotion` (one of the 8 classes)."""
    rng = np.random.default_rng(seed)
    ident = render_face.sample_identity(rng)
    pose = render_face.sample_pose(rng)
    aus, unilateral = {}, 0
    if emotion != "neutral":
        aus = faces._jitter(rng, facs.PROTOTYPES[emotion])
        if 26 in aus and 25 not in aus:
            aus[25] = round(float(rng.uniform(2.2, 4.0)), 1)
        if emotion == "contempt":
            unilateral = int(rng.choice([-1, 1]))
    n = int(rng.integers(10, 49))
    onset_start = int(rng.integers(0, max(1, n // 3)))
    onset = int(rng.integers(2, max(3, n // 3)))
    apex = int(rng.integers(2, max(3, n // 2)))
    offset = int(rng.integers(2, max(3, n // 3)))
    return {"seed": seed, "emotion": emotion, "aus": aus, "unilateral": unilateral, "identity": ident, "pose": pose,
            "frames": n, "onset_start": onset_start, "onset": onset, "apex": apex, "offset": offset}


def intensity(clip, t):
    """a(t) of frame t: 0 before onset, rising, 1 at apex, falling, 0 after."""
    t0 = clip["onset_start"]
    t1 = t0 + clip["onset"]
    t2 = t1 + clip["apex"]
    t3 = t2 + clip["offset"]
    if t < t0 or t >= t3:
        return 0.0
    if t < t1:
        return (t - t0 + 1) / clip["onset"]
    if t < t2:
        return 1.0
    return 1.0 - (t - t2 + 1) / (clip["offset"] + 1)


def level_of(clip, t, levels):
    return int(round(intensity(clip, t) * (levels - 1)))


def render_level(clip, level, levels, supersampling):
    """RGB uint8 array [224, 224, 3] of the clip's face at intensity level/(levels-1)."""
    render_face.SS = supersampling
    render_face.N = render_face.SIZE * supersampling
    a = level / (levels - 1)
    aus = {au: v * a for au, v in clip["aus"].items() if v * a > 0}
    img = render_face.render(clip["identity"], aus, clip["pose"], seed=clip["seed"], unilateral=clip["unilateral"])
    return np.asarray(img, dtype=np.uint8)
