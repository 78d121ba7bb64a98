"""FACS vocabulary shared by the renderer, the caption synthesis and the evaluation.

The verb forms are the supplement's (REFERENCE.md section 4); the prototypes are the EMFACS ones.
Everything that turns AUs into words or words back into AUs lives here, so the parser used by the
evaluation can never drift from the phrases the captions were built from.
"""
import re

# The AUs our renderer can show (the subset of the supplement's table with a visible 2-D cue).
RENDERED_AUS = [1, 2, 4, 5, 6, 7, 9, 10, 12, 14, 15, 16, 17, 20, 23, 24, 25, 26, 43]

VERB = {1: "raise inner eyebrow", 2: "raise outer eyebrow", 4: "lower brow", 5: "raise upper lid",
        6: "raise cheek", 7: "tighten lids", 9: "wrinkle nose", 10: "raise upper lip",
        12: "pull lip corner", 14: "tighten lip corner", 15: "depress lip corner",
        16: "depress lower lip", 17: "raise chin", 20: "stretch lips", 23: "tighten lips",
        24: "press lips", 25: "separate lips", 26: "drop jaw", 43: "close eyes"}

NOUN = {1: "inner brow raiser", 2: "outer brow raiser", 4: "brow lowerer", 5: "upper lid raiser",
        6: "cheek raiser", 7: "lid tightener", 9: "nose wrinkler", 10: "upper lip raiser",
        12: "lip corner puller", 14: "dimpler", 15: "lip corner depressor", 16: "lower lip depressor",
        17: "chin raiser", 20: "lip stretch", 23: "lip tightener", 24: "lip pressor", 25: "lips part",
        26: "jaw drop", 43: "eyes closed"}

# Face regions, top to bottom: paraphrases group and order actions by region like a person would.
REGION = {1: "brows", 2: "brows", 4: "brows", 5: "eyes", 6: "eyes", 7: "eyes", 43: "eyes",
          9: "nose", 10: "mouth", 12: "mouth", 14: "mouth", 15: "mouth", 16: "mouth", 20: "mouth",
          23: "mouth", 24: "mouth", 25: "mouth", 26: "jaw", 17: "jaw"}

# Clause paraphrases (subject-less verb phrases, third person) for the template grammar.
PARAPHRASE = {
    1: ["raises the inner ends of the eyebrows", "lifts the inner brows", "pulls the inner eyebrows upward"],
    2: ["raises the outer ends of the eyebrows", "lifts the outer brows", "arches the outer eyebrows upward"],
    4: ["lowers and draws the brows together", "furrows the brows", "pulls the eyebrows down"],
    5: ["widens the eyes by raising the upper lids", "opens the upper eyelids wide", "lifts the upper lids"],
    6: ["raises the cheeks", "pushes the cheeks up toward the eyes", "lifts the cheeks"],
    7: ["tightens the eyelids", "narrows the eyes by tensing the lids", "squints with tense lids"],
    9: ["wrinkles the nose", "scrunches the nose", "crinkles the skin of the nose"],
    10: ["raises the upper lip", "lifts the upper lip", "curls the upper lip upward"],
    12: ["pulls the lip corners up", "draws the corners of the mouth upward", "turns the lip corners up"],
    14: ["tightens the lip corners into dimples", "dimples the corners of the mouth", "presses the lip corners inward"],
    15: ["pulls the lip corners down", "turns the corners of the mouth downward", "depresses the lip corners"],
    16: ["lowers the lower lip", "pulls the lower lip down", "depresses the lower lip"],
    17: ["pushes the chin up", "raises the chin", "wrinkles the chin upward"],
    20: ["stretches the lips sideways", "pulls the lips wide horizontally", "stretches the mouth sideways"],
    23: ["tightens the lips", "narrows and tenses the lips", "makes the lips thin and tight"],
    24: ["presses the lips together", "squeezes the lips together", "presses the lips shut"],
    25: ["parts the lips", "separates the lips slightly", "opens the lips"],
    26: ["drops the jaw", "lets the jaw fall open", "opens the jaw wide"],
    43: ["closes the eyes", "shuts the eyes", "keeps the eyelids closed"],
}

# Noun phrases for the fused (Exp-BLIP) captions: "The raised cheeks and ... show happiness."
NOUN_PHRASE = {1: "the raised inner brows", 2: "the raised outer brows", 4: "the lowered brows",
               5: "the raised upper lids", 6: "the raised cheeks", 7: "the tightened lids",
               9: "the wrinkled nose", 10: "the raised upper lip", 12: "the lip corners pulled up",
               14: "the dimpled lip corners", 15: "the lip corners pulled down",
               16: "the lowered lower lip", 17: "the raised chin", 20: "the stretched lips",
               23: "the tightened lips", 24: "the pressed lips", 25: "the parted lips",
               26: "the dropped jaw", 43: "the closed eyes"}

# Regexes that recognise an AU in any caption we produce (rule-based, paraphrased, fused).
# Order matters only for overlap: "inner"/"outer" before plain brow words.
AU_PATTERNS = {
    1: r"inner (eye)?brows?|inner ends of the eyebrows",
    2: r"outer (eye)?brows?|outer ends of the eyebrows|outer eyebrows",
    4: r"lowers? brow|lowered brows|furrows? the brows|brows together|eyebrows down",
    5: r"upper lids?|upper eyelids",
    6: r"cheeks?",
    7: r"tighten(s|ed)? (the )?(eye)?lids|tense lids|tensing the lids|tightened lids",
    9: r"nose",
    10: r"upper lip(?! depress)",
    12: r"lip corners? (pulled )?up|pulls? lip corner|corners of the mouth upward|turns the lip corners up",
    14: r"dimple|tightens? lip corner|lip corners inward",
    15: r"lip corners? (pulled )?down|depress(es)? (the )?lip corner|corners of the mouth downward",
    16: r"lower lip(?! up)|depress(es)? lower lip",
    17: r"chin",
    20: r"stretch(es|ed)? (the )?lips|lips wide|mouth sideways|stretched lips",
    23: r"tighten(s|ed)? (the )?lips(?! corner)|tense the lips|tenses the lips|lips thin",
    24: r"press(es|ed)? (the )?lips|lips together|lips shut|pressed lips",
    25: r"separates? lips|parts? the lips|parted lips|separates the lips|opens the lips",
    26: r"jaw",
    43: r"close(s|d)? (the )?eyes|shuts the eyes|eyelids closed",
}
_COMPILED = {au: re.compile(p) for au, p in AU_PATTERNS.items()}

EMOTIONS = ["happiness", "sadness", "surprise", "fear", "anger", "disgust", "contempt", "neutral"]
PROTOTYPES = {"happiness": [6, 12], "sadness": [1, 4, 15], "surprise": [1, 2, 5, 26],
              "fear": [1, 2, 4, 5, 7, 20, 26], "anger": [4, 5, 7, 23], "disgust": [9, 15, 16],
              "contempt": [12, 14], "neutral": []}
COMPOUNDS = [("fear", "surprise"), ("happiness", "surprise"), ("anger", "disgust"),
             ("sadness", "fear"), ("sadness", "anger"), ("disgust", "happiness")]
_EMOTION_RE = re.compile(r"\b(" + "|".join(EMOTIONS) + r")\b")
# Words that betray an expression in an appearance caption (BLIP-2 stand-in check).
EXPRESSION_WORDS = re.compile(r"\b(" + "|".join(EMOTIONS) + r"|smil\w*|frown\w*|express\w*|(eye)?brows?|lips?|jaw|"
                              r"cheeks?|emotion\w*|happy|sad|angry|afraid|surprised|disgusted)\b")


def emotion_name(emotions):
    """Canonical lower-case name, prototypes joined with 'and'."""
    emotions = set(emotions)
    for pair in COMPOUNDS:  # compounds keep the order of the COMPOUNDS table ("fear and surprise")
        if set(pair) == emotions:
            return " and ".join(pair)
    return " and ".join(e for e in EMOTIONS if e in emotions)


def parse_aus(text):
    """AUs a caption mentions (negated region words like 'not raised' are rare enough to ignore)."""
    text = text.lower()
    if "no facial action" in text or "relaxed position" in text:
        return set()
    return {au for au, rx in _COMPILED.items() if rx.search(text)}


def parse_emotions(text):
    return set(_EMOTION_RE.findall(text.lower()))
