#!/usr/bin/env python3
"""Writes Models/DFER-CLIP/README.md (the demo recognizer's model card) from its metrics.json.

  python3 Training/recognizer_card.py [Models/DFER-CLIP]
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = {"clip WAR": 0.90, "clip UAR": 0.85}


def swift_section(m):
    """The Swift engine's own readings (`recognizer_swift_eval.py --write`): per-class recall and confusions."""
    sw = m.get("swift engine")
    if not sw:
        return []
    lines = ["## The Swift engine on the same sets (`facecap recognize --json`)", "",
             f"Held-out clips: UAR {sw['clip UAR']:.1%}, WAR {sw['clip WAR']:.1%}; stills: UAR {sw['still UAR']:.1%},"
             f" WAR {sw['still WAR']:.1%}.", "",
             "| class | clip recall | still recall |", "|---|---|---|"]
    lines += [f"| {c} | {r:.0%} | {sw['still recall'][c]:.0%} |" if c in sw["still recall"] else f"| {c} | {r:.0%} | - |"
              for c, r in sw["clip recall"].items()]
    for label, key in [("clips", "clip confusions"), ("stills", "still confusions")]:
        errors = ", ".join(f"{x['truth']} -> {x['said']} x{x['count']}" for x in sw[key]) or "none"
        lines += ["", f"Errors on the {label} (truth -> said): {errors}."]
    return lines + [""]


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Models", "DFER-CLIP")
    with open(os.path.join(folder, "metrics.json")) as f:
        m = json.load(f)
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    size = os.path.getsize(os.path.join(folder, "model.safetensors"))
    met = all(m[k] >= v for k, v in TARGETS.items())
    v, t, tm = c["vision"], c["text"], c["temporal"]
    secs = m["seconds"]
    lines = [
        "# DFER-CLIP demo recognizer",
        "",
        "DFER-CLIP's architecture (CLIP ViT image encoder per frame, 1-layer temporal transformer with a class token,",
        "CoOp prompt learner with class-specific context, CLIP text transformer; logits = normalised video feature .",
        "normalised text feature / 0.01) at a small size, trained from scratch by `Training/train_recognizer.py` on",
        "synthetic clips only (Training/expression_clips.py: a rendered face animated neutral -> onset -> apex -> offset,",
        "random lengths and timing). It exists so the explorer's recognizer pane and `facecap recognize` work out of the",
        "box; it is not a model of real faces. Classes (DFER-CLIP's order + contempt) and their descriptors are in",
        "`config.json`; the descriptors are DFER-CLIP's (REFERENCE section 7).",
        "",
        f"**Status: {'the targets below are met' if met else 'the targets below are NOT met'} on the held-out clips.**",
        "",
        "## Results",
        "",
        "| set | n | UAR | WAR | target |",
        "|---|---|---|---|---|",
        f"| held-out clips (2x-supersampled renders, 6 intensity levels) | {m['held-out clips']} | {m['clip UAR']:.1%} | {m['clip WAR']:.1%} | UAR >= 85%, WAR >= 90% |",
        f"| held-out stills: SampleFaces' single-emotion faces, each padded to 16 frames | {m['held-out stills']} | {m['still UAR']:.1%} | {m['still WAR']:.1%} | (reported) |",
        "",
        "UAR = mean per-class recall, WAR = overall accuracy, as DFER-CLIP reports them; computed by the training",
        "script with the PyTorch model after export-equivalent weight folding, DFER-CLIP's test sampling (16 segments).",
        "",
        "## Model and training",
        "",
        f"- Image encoder: ViT {v['layers']} x {v['width']} ({v['heads']} heads), {v['image_size']} px input, patch {v['patch_size']};"
        f" embed {c['embed_dim']}. Text: {t['layers']} x {t['width']}, context {t['context_length']}, vocabulary {t['vocab_size']}"
        f" (a CLIP-format BPE trained on the descriptors, Training/clip_vocab.py). Temporal: {tm['layers']} layer,"
        f" {tm['heads']} x {tm['dim_head']} heads, MLP {tm['mlp_dim']}, {tm['frames']} frames. {c['n_ctx']} context vectors per class.",
        f"- Weights: `model.safetensors`, F16, {size / 1e6:.2f} MB.",
        f"- Data: {m['training clips']} training clips ({m['training clips'] // 8} per class, 10-48 frames), each rendered at {m['levels']} intensity levels"
        " (a frame shows the level its intensity rounds to; 1x supersampling); 25% of training samples are stills (one",
        "  frame near the apex, repeated 16 times, as a still is fed at test time).",
        f"- {m['steps']} steps of batch {m['batch']}, AdamW (weight decay 0.05), peak lr {m['lr']}, cosine schedule; every part",
        "  trained (nothing here is pretrained, unlike DFER-CLIP, whose text encoder is frozen CLIP); a frame-level loss on",
        "  the apex and neutral frames helps the image encoder start; training normalises pixels, and the normalisation is",
        "  folded into `conv1` and the patch rows of `positional_embedding` at export, so the engine's input stays",
        "  DFER-CLIP's /255 only; the temporal net's class token and positions start at 0.02 x randn.",
        "",
        "## Learning curve (held-out clips, read every 1000 steps during training)",
        "",
        "| step | minutes | UAR | WAR |",
        "|---|---|---|---|",
    ] + [f"| {p['step']} | {p['seconds'] / 60:.1f} | {p['clip UAR']:.1%} | {p['clip WAR']:.1%} |" for p in m.get("curve", [])] + [
        "",
        "The curve reads the held-out clips while training runs; nothing is chosen by it (the exported model is the",
        "last step's).",
        "",
    ] + swift_section(m) + [
        "## Time (2-core development machine, no GPU; `nice -n 5`, one training thread)",
        "",
        "| step | seconds |",
        "|---|---|",
    ] + [f"| {k} | {v} |" for k, v in secs.items()] + [
        "",
        f"Rendering is cached in `~/.cache/facecap-recognizer` (the training clips as one `.npz` per set size, the",
        "held-out clips as DFEW-style frame folders); the held-out clips render in a second process while the training",
        "clips render, so a rebuild from nothing takes about the total above.",
        "",
        "Rebuild: `nice -n 5 python3 Training/train_recognizer.py && python3 Training/recognizer_card.py`; the Swift",
        "engine's readings: `python3 Training/recognizer_swift_eval.py --clips ~/.cache/facecap-recognizer/heldout-20/annotations.txt --write`",
        "before the card.",
    ]
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines[12:18]))


if __name__ == "__main__":
    main()
