"""Metrics for the held-out evaluation (REFERENCE.md section 4/5 vocabulary)."""
import numpy as np

import facs


def rouge_l(candidate, reference):
    a, b = candidate.lower().split(), reference.lower().split()
    if not a or not b:
        return 0.0
    dp = np.zeros((len(a) + 1, len(b) + 1), int)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            dp[i + 1, j + 1] = dp[i, j] + 1 if x == y else max(dp[i, j + 1], dp[i + 1, j])
    lcs = dp[-1, -1]
    p, r = lcs / len(a), lcs / len(b)
    return 0.0 if lcs == 0 else 2 * p * r / (p + r)


def set_prf(found, truths):
    """Micro precision/recall/F1 of found label sets against the true ones."""
    tp = fp = fn = 0
    for got, t in zip(found, truths):
        tp += len(got & t); fp += len(got - t); fn += len(t - got)
    p = tp / max(1, tp + fp); r = tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def au_prf(captions, truths):
    """Micro precision/recall/F1 of the AUs captions mention against the true AU sets."""
    return set_prf([facs.parse_aus(c) for c in captions], truths)


def emotion_correct(caption, emotion):
    return facs.parse_emotions(caption) == set(emotion.split(" and ")) if emotion else False


def evaluate(caps, recs, rule_refs):
    truths = [set(int(k) for k in r["aus"]) for r in recs]
    emos = [r["emotion"] for r in recs]
    m = {}
    au = caps["AU-BLIP"]
    m["AU-BLIP"] = dict(zip(("precision", "recall", "f1"), au_prf(au, truths)))
    pairs = [(c, ref) for c, ref in zip(au, rule_refs) if ref]
    m["AU-BLIP"]["rougeL_vs_rule"] = float(np.mean([rouge_l(c, ref) for c, ref in pairs])) if pairs else 0.0
    em = caps["Emot-BLIP"]
    m["Emot-BLIP"] = {"emotion_acc": float(np.mean([emotion_correct(c, e) for c, e in zip(em, emos)]))}
    ex = caps["Exp-BLIP"]
    both = [bool(facs.parse_emotions(c)) and (bool(facs.parse_aus(c)) or e == "neutral") for c, e in zip(ex, emos)]
    m["Exp-BLIP"] = {"emotion_and_action": float(np.mean(both)),
                     "emotion_acc": float(np.mean([emotion_correct(c, e) for c, e in zip(ex, emos)]))}
    m["Exp-BLIP"].update(dict(zip(("au_precision", "au_recall", "au_f1"), au_prf(ex, truths))))
    b2 = caps["BLIP-2"]
    m["BLIP-2"] = {"mentions_expression": float(np.mean([bool(facs.EXPRESSION_WORDS.search(c.lower())) for c in b2]))}
    return m
