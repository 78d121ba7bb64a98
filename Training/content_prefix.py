"""The content prefix: what the frozen language model learns to read in the 16 query positions.

The published captioners freeze OPT-2.7B, which learned from web text to follow whatever precedes a
sentence, so BLIP-2's Q-Former only has to write something OPT can read. Our 4-layer OPT learns from ~15k
captions and has never seen anything before a caption: a frozen copy of it ignores the 16 projected queries
(the first demo builds' captions did not depend on the image). So the LM pre-training puts a *content prefix*
in those 16 positions: learned vectors that say which caption style follows and which labels it mentions
(slot layout below, each slot the sum of its labels' vectors). The LM learns data-to-text; the captioners'
image path then learns to write that prefix (captioning loss through the frozen LM, plus a regression of the
projected queries onto the prefix of the face's known labels). The vectors are training-only: the exported
models contain the ViT, Q-Former, projection and LM as transformers defines them, nothing else.
"""
import torch

import facs
from captions import light_side

STYLES = ["appearance", "actions", "emotion", "fused"]
UPPER = [1, 2, 4, 5, 6, 7, 43]          # brows and eyes
LOWER = [9, 10, 12, 14, 15, 16, 17, 20, 23, 24, 25, 26]  # nose, mouth, jaw
APPEARANCE_KEYS = ["age", "skin_tone", "hair_style", "hair_colour", "glasses", "background", "light", "tilt"]

# slot -> group; groups repeat over several slots so the LM can average what a noisy image path writes.
SLOTS = ["style"] + ["upper"] * 3 + ["lower"] * 4 + ["emotion"] * 3 + ["appearance"] * 5
GROUPS = ["style", "upper", "lower", "emotion", "appearance"]


def appearance_labels(rec, mirrored=False):
    """The face's appearance attributes as label strings (all of them: a caption mentions a subset);
    `mirrored`: of the horizontally flipped image."""
    i, p = rec["identity"], rec["pose"]
    age = "young" if i["age"] < 35 else "middle-aged" if i["age"] < 55 else "older"
    light = light_side(p, mirrored)
    return {"age": age, "skin_tone": i["skin_tone"], "hair_style": i["hair_style"],
            "hair_colour": "none" if i["hair_style"] == "bald" else i["hair_colour"],
            "glasses": i["glasses_shape"] if i["glasses"] else "none", "background": i["background"],
            "light": light, "tilt": "tilted" if abs(p["roll_deg"]) > 5 else "straight"}


class Vocabulary:
    """Label strings -> rows of the prefix embedding table; built from the training records."""

    def __init__(self, records):
        names = [f"style:{s}" for s in STYLES] + [f"au:{a}" for a in facs.RENDERED_AUS]
        names += [f"emotion:{e}" for e in facs.EMOTIONS]
        values = sorted({f"{k}:{v}" for r in records for k, v in appearance_labels(r).items()})
        self.names = names + values
        self.index = {n: i for i, n in enumerate(self.names)}

    def __len__(self):
        return len(self.names)

    def content(self, style, aus=(), emotion=None, appearance=None):
        """{group: [row ids]} for one caption (or one face's known labels)."""
        groups = {g: [] for g in GROUPS}
        groups["style"].append(self.index[f"style:{style}"])
        for a in sorted(aus):
            if a in facs.RENDERED_AUS:
                groups["upper" if a in UPPER else "lower"].append(self.index[f"au:{a}"])
        for e in (emotion.split(" and ") if emotion else []):
            groups["emotion"].append(self.index[f"emotion:{e}"])
        for k, v in (appearance or {}).items():
            name = f"{k}:{v}"
            if name in self.index:
                groups["appearance"].append(self.index[name])
        return groups


class ContentPrefix(torch.nn.Module):
    """16 x width prefix vectors from label contents: slot base + sum of the slot group's label vectors."""

    def __init__(self, vocab, width, std=0.02):
        super().__init__()
        self.vocab = vocab
        self.labels = torch.nn.Parameter(torch.randn(len(vocab), width) * std)
        self.base = torch.nn.Parameter(torch.randn(len(SLOTS), width) * std)
        slot_group = torch.tensor([GROUPS.index(g) for g in SLOTS])
        self.register_buffer("slot_group", slot_group, persistent=False)

    def bags(self, contents):
        """contents: list of {group: [ids]} -> B x groups x labels multi-hot."""
        bag = torch.zeros(len(contents), len(GROUPS), len(self.vocab), device=self.labels.device)
        for b, c in enumerate(contents):
            for g, ids in c.items():
                for i in ids:
                    bag[b, GROUPS.index(g), i] = 1.0
        return bag

    def forward(self, contents):
        per_group = self.bags(contents) @ self.labels  # B x groups x width
        return self.base + per_group[:, self.slot_group]  # B x slots x width
