"""Caption synthesis for the three training stages (paper section 3, supplement).

- rule-based AU captions with the supplement's verb forms and the fixed no-AU description;
- paraphrased AU captions from a template grammar (stand-in for the LLM; `LLMParaphraser` is the plug
  point that sends the paper's one-shot prompt to an OpenAI-compatible endpoint);
- emotion captions "The face shows <emotion>.";
- appearance captions (BLIP-2 stand-in; never the expression);
- fused captions for Exp-BLIP (stand-in for the zero-shot fusion prompt).
"""
import json
import os
import urllib.request

import facs

NO_AU = ("The eyes may be open and looking straight ahead, with the mouth closed or slightly open in a relaxed "
         "position. The forehead may be relatively smooth with minimal wrinkles or creases. The eyebrows may be in "
         "a natural position, not raised or furrowed.")


def _third_person(verb_phrase):
    verb, rest = verb_phrase.split(" ", 1)
    verb = verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")
    return f"{verb} {rest}"


def _join(parts, conj="and"):
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {conj} " + parts[-1]


def rule_caption(aus):
    """'It is a people who raises inner eyebrow, ... and drops jaw.' or None without AUs."""
    if not aus:
        return None
    return "It is a people who " + _join([_third_person(facs.VERB[au]) for au in sorted(aus)]) + "."


SUBJECTS = ["The person", "This person", "The face", "Here the person"]
OPENERS = ["{s} {c}.", "{s} {c}.", "In this face, the person {c}."]


class TemplateParaphraser:
    """Several phrasings per AU, grouped by region in random region order, varied connectives.
    Never names an emotion and never writes 'AU' (the paper's rules for the LLM)."""

    def __call__(self, aus, rng):
        if not aus:
            return NO_AU
        regions = []
        for au in sorted(aus):
            r = facs.REGION[au]
            if r not in regions:
                regions.append(r)
        if rng.random() < 0.5:
            rng.shuffle(regions)
        sentences = []
        for i, r in enumerate(regions):
            clauses = [facs.PARAPHRASE[au][rng.integers(3)] for au in sorted(aus) if facs.REGION[au] == r]
            c = _join(clauses, "while" if len(clauses) == 2 and rng.random() < 0.3 else "and")
            if i == 0:
                s = SUBJECTS[rng.integers(len(SUBJECTS))]
                sentences.append(OPENERS[rng.integers(len(OPENERS))].format(s=s, c=c))
            else:
                lead = ["It also", "The person also", "In addition, the person", "It"][rng.integers(4)]
                sentences.append(f"{lead} {c}.")
        return " ".join(sentences)


LLM_PROMPT = (
    "You are an expert in the Facial Action Coding System. Describe the facial actions of a face in one or two "
    "natural sentences for a person who does not know FACS. Do not name any emotion and do not write \"AU\".\n"
    "Example input: It is a people who raises inner eyebrow, raises outer eyebrow, raises upper lid, separates "
    "lips and drops jaw.\n"
    "Example output: The person raises both the inner and outer parts of the eyebrows and widens the eyes, while "
    "the lips part and the jaw drops open.\n"
    "Input: {caption}\nOutput:")

FUSION_PROMPT = (
    "Combine the two descriptions of the same face into one sentence that describes the facial actions and infers "
    "the emotion from them.\nActions: {au_caption}\nEmotion: {emotion_caption}\nDescription:")


class LLMParaphraser:
    """Plug point for real LLM captions (paper: GPT-3.5, one-shot). Not exercised by the demo build.
    Usage: set FACECAP_LLM_URL (an OpenAI-compatible base URL), FACECAP_LLM_MODEL and FACECAP_LLM_KEY and pass
    an instance wherever a TemplateParaphraser is used."""

    def __init__(self, url=None, model=None, key=None):
        self.url = (url or os.environ["FACECAP_LLM_URL"]).rstrip("/") + "/chat/completions"
        self.model = model or os.environ.get("FACECAP_LLM_MODEL", "gpt-3.5-turbo")
        self.key = key or os.environ.get("FACECAP_LLM_KEY", "")

    def complete(self, prompt):
        body = json.dumps({"model": self.model, "temperature": 0.7,
                           "messages": [{"role": "user", "content": prompt}]}).encode()
        req = urllib.request.Request(self.url, body, {"Content-Type": "application/json",
                                                      "Authorization": f"Bearer {self.key}"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)["choices"][0]["message"]["content"].strip()

    def __call__(self, aus, rng):
        return NO_AU if not aus else self.complete(LLM_PROMPT.format(caption=rule_caption(aus)))


def emotion_caption(emotion):
    return f"The face shows {emotion}."


def light_side(pose, mirrored=False):
    """Where the key light comes from as the viewer sees it. A face mirrored for training (flip augmentation)
    is lit from the other side, so its labels must say so."""
    side = "left" if pose["light_x"] < -0.3 else "right" if pose["light_x"] > 0.3 else "front"
    return {"left": "right", "right": "left"}.get(side, side) if mirrored else side


def appearance_caption(rec, rng, mirrored=False):
    """BLIP-2 stand-in target: who and where, never how they feel (`mirrored`: of the horizontally flipped
    image)."""
    i, p = rec["identity"], rec["pose"]
    hair = {"bald": "a bald head", "long": f"long {i['hair_colour']} hair", "short": f"short {i['hair_colour']} hair",
            "bun": f"{i['hair_colour']} hair in a bun", "fringe": f"{i['hair_colour']} hair with a fringe",
            "curly": f"curly {i['hair_colour']} hair"}[i["hair_style"]]
    age = "young" if i["age"] < 35 else "middle-aged" if i["age"] < 55 else "older"
    who = f"A close up of {'an' if age == 'older' else 'a'} {age} person with {i['skin_tone']} skin and {hair}"
    parts = [who]
    if i["glasses"]:
        parts.append(f"wearing {i['glasses_shape']} glasses")
    bg = {"plain": "in front of a plain wall", "gradient": "in front of a colourful gradient background",
          "dark": "in front of a dark background", "light": "in front of a light background"}[i["background"]]
    light = f"lit from the {light_side(p, mirrored)}"
    tilt = "with the head tilted" if abs(p["roll_deg"]) > 5 else "looking at the camera"
    extras = [bg, light, tilt]
    rng.shuffle(extras)
    return " ".join(parts + extras[:2]) + "."


FUSE_TEMPLATES = ["{Acts} show {emotion}.", "{Acts} suggest that the person feels {emotion}.",
                  "The person shows {emotion}, as {acts} reveal.", "With {acts}, the face expresses {emotion}."]
NEUTRAL_FUSED = ["The relaxed face with no visible facial action shows a neutral expression.",
                 "With no facial action visible, the face is neutral."]


def fused_caption(aus, emotion, rng):
    """Exp-BLIP target from an AU set and an emotion name (either may be a pseudo-label)."""
    if not aus or emotion == "neutral":
        return NEUTRAL_FUSED[rng.integers(len(NEUTRAL_FUSED))]
    acts = _join([facs.NOUN_PHRASE[au] for au in sorted(aus)])
    emo = emotion if emotion != "neutral" else "a neutral expression"
    t = FUSE_TEMPLATES[rng.integers(len(FUSE_TEMPLATES))]
    return t.format(Acts=acts[0].upper() + acts[1:], acts=acts, emotion=emo)
