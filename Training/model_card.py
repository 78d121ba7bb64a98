"""Model cards: Models/README.md (pack overview + evaluation table) and Models/<Name>/README.md."""
import os

import facs
from model_config import DEMO, DEMO_FULL

WHAT = {"BLIP-2": "appearance captions (hair, skin tone, glasses, background, lighting, pose) of all training faces; "
                  "stands in for the general-purpose BLIP-2",
        "AU-BLIP": "stage 2, AU part only: rule-based AU captions (supplement verb forms) and template paraphrases",
        "Emot-BLIP": "stage 2, emotion part only: \"The face shows <emotion>.\"",
        "Exp-BLIP": "stage 3, all faces: fused captions built from true labels plus AU-BLIP/Emot-BLIP pseudo-labels "
                    "for the missing aspect"}


def _table(metrics, n_eval):
    m = metrics
    rows = [
        ("AU-BLIP", "AU precision / recall / F1", f"{m['AU-BLIP']['precision']:.2f} / {m['AU-BLIP']['recall']:.2f} / {m['AU-BLIP']['f1']:.2f}", "F1 >= 0.70"),
        ("AU-BLIP", "ROUGE-L vs rule-based caption", f"{m['AU-BLIP']['rougeL_vs_rule']:.3f}", "(reported)"),
        ("Emot-BLIP", "emotion named correctly", f"{m['Emot-BLIP']['emotion_acc']:.1%}", ">= 85%"),
        ("Exp-BLIP", "names an emotion and an action", f"{m['Exp-BLIP']['emotion_and_action']:.1%}", ">= 95%"),
        ("Exp-BLIP", "emotion correct", f"{m['Exp-BLIP']['emotion_acc']:.1%}", ">= 80%"),
        ("Exp-BLIP", "AU precision / recall / F1", f"{m['Exp-BLIP']['au_precision']:.2f} / {m['Exp-BLIP']['au_recall']:.2f} / {m['Exp-BLIP']['au_f1']:.2f}", "(reported)"),
        ("BLIP-2", "mentions expression/emotion", f"{m['BLIP-2']['mentions_expression']:.1%}", "<= 5%"),
    ]
    out = [f"Held-out synthetic faces with both labels known: {n_eval} (prototype, compound and neutral faces, "
           "seeds 500000+). Beam search as in generation_config.json.\n",
           "| model | metric | value | target |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(out)


def _examples(sample, sample_caps, depth):
    up = "../" * depth
    out = []
    for k, (path, row) in enumerate(sample):
        out.append(f"### {os.path.basename(path)}: {row['emotion'] or 'no emotion label'}; AUs {row['aus'] or 'none'}\n")
        out.append(f"![{row['file']}]({up}{path})\n")
        for n in ("BLIP-2", "AU-BLIP", "Emot-BLIP", "Exp-BLIP"):
            out.append(f"- **{n}**: {sample_caps[n][k]}")
        out.append("")
    return "\n".join(out)


TARGETS = [("AU-BLIP", "f1", ">=", 0.70, "AU F1"), ("Emot-BLIP", "emotion_acc", ">=", 0.85, "emotion accuracy"),
           ("Exp-BLIP", "emotion_and_action", ">=", 0.95, "emotion and action"),
           ("Exp-BLIP", "emotion_acc", ">=", 0.80, "emotion accuracy"),
           ("BLIP-2", "mentions_expression", "<=", 0.05, "expression mentions")]


def status(m):
    """One honest line on the quality targets, written by the build from its own evaluation."""
    missed = [f"{model} {what} {m[model][key]:.2f} (target {op} {goal:.2f})" for model, key, op, goal, what in TARGETS
              if not (m[model][key] >= goal if op == ">=" else m[model][key] <= goal)]
    if not missed:
        return "**Status: every quality target below is met on the held-out faces.**"
    return ("**Status: the captions follow the image, but these targets are not met yet: " + "; ".join(missed)
            + ".** See Training/README.md for what limits them.")


def _ceiling(m):
    if not m:
        return "(not measured)"
    return (f"AU F1 {m['AU-BLIP']['f1']:.2f}, emotion {m['Emot-BLIP']['emotion_acc']:.1%}, Exp-BLIP emotion "
            f"{m['Exp-BLIP']['emotion_acc']:.1%} / emotion and action {m['Exp-BLIP']['emotion_and_action']:.1%}")


def write(models, scale, S, cfg, metrics, n_eval, sample, sample_caps, times, n_au, n_emo, oracle=None, n_captions=0):
    v, q, t = cfg.vision_config, cfg.qformer_config, cfg.text_config
    arch = (f"Blip2ForConditionalGeneration (transformers 5.x): ViT {v.num_hidden_layers} x {v.hidden_size} "
            f"(patch {v.patch_size}, MLP {v.intermediate_size}), Q-Former {q.num_hidden_layers} x {q.hidden_size} "
            f"with {cfg.num_query_tokens} queries (cross-attention every {q.cross_attention_frequency} layers), "
            f"OPT {t.num_hidden_layers} x {t.hidden_size} (FFN {t.ffn_dim}, vocab {t.vocab_size}), frozen and shared.")
    timing = "\n".join(f"| {k} | {v:.0f} s |" for k, v in times.items())
    timing += f"\n| **total** | **{sum(times.values()):.0f} s ({sum(times.values()) / 60:.0f} min)** |"
    head = f"""# facecap demo model pack

Four small BLIP-2-architecture captioners trained by `python3 Training/build_demo_pack.py --scale {scale}`
on synthetic faces only (Training/render_face.py; no photographs, no published weights), following the
three-stage method of the Exp-BLIP paper at toy scale. They exist so that facecap shows four captioners
describing faces out of the box; they are not models of real human faces.

- `BLIP-2/`, `AU-BLIP/`, `Emot-BLIP/`, `Exp-BLIP/`: vision_model, query_tokens, qformer, language_projection
  (F16) + config/generation/preprocessor/tokenizer files; `facecap.json` points at the shared language model.
- `_language-model/`: the frozen OPT decoder (`language_model.model.decoder.*`, F16; lm_head tied), pre-trained
  on the caption corpus once, identical for all four.
- Tokenizer: byte-level BPE trained on the caption corpus, GPT-2 files; `<s>`=0, `<pad>`=1, `</s>`=2, `<unk>`=3,
  `<image>`={cfg.image_token_index} (= image_token_index). bos = eos = `</s>` (2), as OPT's tokenizer;
  generation stops at `</s>` (our captions have no newline; the published Exp-BLIP stops at "\\n" = 50118).
- Prompt: none, i.e. [{cfg.num_query_tokens} projected queries][`</s>`], exactly as the published models.

{status(metrics)}

## Data and settings
Training faces: {n_au} in the AU part (AU labels only) and {n_emo} in the emotion part (emotion labels only).
{arch}
Images at {cfg.vision_config.image_size} px (renders are 224 px, resized bicubic as the preprocessor does).
AdamW (weight decay 0.05), peak lr {S.get('lr', 1e-3):g} (stage 0: {S.get('v_lr', 3e-4):g}, LM: 2e-3), cosine schedule with linear warm-up, batch {S['batch']},
horizontal flips (a flipped face's labels say it is lit from the other side). Steps (upper bounds; per-stage time caps may stop earlier, see the build log):
LM {S['lm_steps']}, stage 0 {S['v_steps']}, BLIP-2 {S['b2_steps']}, AU-BLIP {S['au_steps']}, Emot-BLIP {S['emo_steps']}, Exp-BLIP {S['exp_steps']}.
How the frozen LM reads the image (Training/content_prefix.py): OPT-2.7B learned from web text to follow
whatever precedes a sentence; our 4-layer OPT sees only ~{n_captions // 1000}k captions, and a frozen copy of it trained on plain
captions ignored the {cfg.num_query_tokens} projected queries (the first builds were image-blind). So the LM is
pre-trained with a *content prefix* in the {cfg.num_query_tokens} query positions, laid out exactly as Blip2 feeds them:
learned training-only vectors for the caption style and the labels the caption mentions (slots: style, brow/eye
AUs, lower-face AUs, emotion, appearance; each the sum of its labels' vectors, Gaussian noise added). The LM
learns data-to-text. Stage 0 (the stand-in for BLIP-2's skipped representation learning) then trains ViT +
queries + Q-Former + projection to write that prefix for each face's *known* labels (AU part: AUs, emotion part:
emotions, all: appearance), no LM in the loop, helped by linear AU/emotion heads on the flattened ViT tokens
and on the flattened query outputs (a mean-pooled head left the from-scratch ViT at the label prior; their
emotion loss weighs {S.get('v_emotion_weight', 1.0):g}x their AU loss), with
the Q-Former's cross-attention started peaked rather than uniform (`start_image_path`). Every captioner starts
from the stage-0 image path (as the paper's start from BLIP-2's pre-trained one) and trains with the
captioning loss through the frozen LM plus a regression of its projected queries onto the prefix of what its
own captions say, and a label head on its query outputs for the same labels: AU-BLIP the AU part's AUs,
Emot-BLIP the emotion part's emotions, Exp-BLIP the real + pseudo labels its fused captions are built from,
BLIP-2 appearance only (no head). None of the prefix vectors or heads is exported.
Stage 3 pseudo-labels use greedy decoding. Paraphrases come from a template grammar (`Training/captions.py`);
`LLMParaphraser` is the plug point for real LLM captions with the paper's one-shot prompt (not used here).

Full-size settings we would use with more compute: `--scale full` and `model_config.DEMO_FULL`
(224 px, patch 16, 6-layer ViT, 32 queries, cross-attention every layer).
Demo settings: {DEMO}.

Wall time per stage (this build, 2 CPU cores unless the log says cuda; stages a `--from-stage0` run skipped
are those of the build that saved the checkpoint; a render of a few seconds came from the face cache, so the
total is then not a build from nothing):

| stage | wall time |
|---|---|
{timing}

## Evaluation
{_table(metrics, n_eval)}

The ceiling (LM check in the build log): the frozen LM given the *true* content prefix of the same faces scores
{_ceiling(oracle)}.

AUs are parsed back from captions with `facs.parse_aus` (the same phrase table the captions were built from).
For Exp-BLIP, a neutral face counts as naming an action when it says no action is visible.

## Limitations
Synthetic cartoon-like faces only: on photographs (try `SampleFaces/astronaut.png`) the captions are
unreliable and often describe an expression that is not there. Low AU intensities are hard to see at
{cfg.vision_config.image_size} px; the OPT is tiny and trained only on our caption corpus, so it repeats phrases and cannot
describe anything outside it. Emotions are the EMFACS prototypes, so a caption's inference is only as right as
the prototype mapping.

## Examples (SampleFaces, held out)
{_examples(sample, sample_caps, 1)}
"""
    with open(os.path.join(models, "README.md"), "w") as f:
        f.write(head)
    for n in ("BLIP-2", "AU-BLIP", "Emot-BLIP", "Exp-BLIP"):
        with open(os.path.join(models, n, "README.md"), "w") as f:
            f.write(f"# {n} (facecap demo pack)\n\nTrained on: {WHAT[n]}.\n\n{arch}\n\n"
                    f"Data, settings, metrics and limitations: see [../README.md](../README.md).\n\n"
                    f"## Evaluation\n{_table(metrics, n_eval)}\n\n## Examples (all four captions)\n"
                    f"{_examples(sample, sample_caps, 2)}\n")
