"""One command rebuilds the demo pack from nothing: render, caption, tokenizer, LM pre-training, the three
stages, export, evaluation, model cards.   python3 Training/build_demo_pack.py [--scale smoke|demo]

Work files go to Training/work/ (git-ignored); the pack goes to Models/. Wall time per stage is logged.
"""
import argparse
import json
import os
import sys
import time
from multiprocessing import Pool

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import captions as C  # noqa: E402
import facs  # noqa: E402
from evaluate import evaluate, set_prf  # noqa: E402
from export_pack import export_captioner, export_language_model, generation_config  # noqa: E402
from faces import make_face, part_kinds  # noqa: E402
from content_prefix import SLOTS, ContentPrefix, Vocabulary, appearance_labels  # noqa: E402
from model_config import DEMO, blip2_config, text_config  # noqa: E402
from tokenizer_build import train as train_tokenizer, write_hf_files  # noqa: E402
from train_lib import (AUX_DIMS, DEVICE, LabelHead, aux_targets, caption, caption_from_prefix, pixels, pretrain_vision,
                       project_queries, resize, start_image_path, train_captioner, train_lm)  # noqa: E402
from transformers import Blip2ForConditionalGeneration, GenerationConfig  # noqa: E402

SCALES = {
    # faces per part, evaluation faces, steps per stage, batch
    # a tuning run (~20 min) on the demo faces (reuses the demo render cache): the LM check, and whether
    # captions follow the image
    "dev": dict(au=1600, emo=1600, eval=48, v_steps=800, lm_steps=800, b2_steps=30, au_steps=200, emo_steps=150,
                exp_steps=150, batch=24),
    "smoke": dict(au=48, emo=48, eval=16, v_steps=6, lm_steps=20, b2_steps=4, au_steps=6, emo_steps=6, exp_steps=6, batch=8),
    # sized for ~45 min on 2 CPU cores (+ ~23 min render); per-stage time caps, and a stage-0 cap that keeps the whole
    # build within `budget` seconds (stage0_cap), bound it when the machine is busy or slower.
    # Stage 0 is the limit of every captioner (its held-out emotion reading was still rising at 5000 steps, and
    # the same on training and held-out faces: too few steps, not too few faces), so it gets most of the time.
    "demo": dict(au=4800, emo=14400, eval=160, lm_steps=700, lm_batch=48, v_steps=10000, v_lr=3e-4,
                 v_emotion_weight=3.0, b2_steps=150, au_steps=1000, emo_steps=600, exp_steps=1000, batch=24, lr=5e-4,
                 caps=dict(lm=600, v=2400, b2=90, au=480, emo=300, exp=480), budget=6600),
    # what we would run with more time (see model_config.DEMO_FULL): same code, more of everything
    "full": dict(au=6000, emo=6000, eval=500, v_steps=10000, lm_steps=3000, b2_steps=1500, au_steps=6000, emo_steps=3000,
                 exp_steps=6000, batch=32),
}
NAMES = ["BLIP-2", "AU-BLIP", "Emot-BLIP", "Exp-BLIP"]
MAX_NEW_TOKENS = 100
SEEDS = {"au": 0, "emo": 100_000, "eval": 500_000}  # SampleFaces use 900_000+
AFTER_CAPTIONERS = 300  # seconds the uncapped pseudo-labelling, export and evaluation may take on a slow machine
MIN_STAGE0 = 600


def stage0_cap(S, elapsed):
    """Stage 0's time cap: its own, shortened so that the build ends within S["budget"] seconds of its start.
    The render before it is not capped (the faces are the data) and its time varies ~2x between machines; the
    stages after it are capped, so stage 0 is where a slow machine gives up steps rather than the 2-hour bound."""
    caps = S.get("caps", {})
    if "budget" not in S:
        return caps.get("v")
    after = sum(caps.get(k, 0) for k in ("b2", "au", "emo", "exp")) + AFTER_CAPTIONERS
    left = max(MIN_STAGE0, int(S["budget"] - elapsed - after))
    return min(caps["v"], left) if caps.get("v") else left


def _render(args):
    seed, kind = args
    img, rec = make_face(seed, kind)
    return np.asarray(img), rec


def render_set(part, n, workers, cache_dir=None):
    """Faces are a pure function of (part, n): cache them so a rebuild or a tuning run skips the render."""
    cache = os.path.join(cache_dir, f"faces-{part}-{n}.npz") if cache_dir else None
    # Face i of a part is the same in every set size (seed SEEDS[part] + i, kind from part_kinds), so a larger
    # cached set serves any smaller one and a smaller one is the start of a larger.
    cached = sorted(int(f.split("-")[-1][:-4]) for f in (os.listdir(cache_dir) if cache_dir else [])
                    if f.startswith(f"faces-{part}-") and f.endswith(".npz") and ".tmp" not in f)

    def load(m):
        with np.load(os.path.join(cache_dir, f"faces-{part}-{m}.npz"), allow_pickle=False) as z:
            return z["images"][:n], json.loads(str(z["records"]))[:n]
    if any(m >= n for m in cached):
        return load(min(m for m in cached if m >= n))
    start_images, start_recs = load(max(cached)) if cached else (np.zeros((0, 224, 224, 3), np.uint8), [])
    kinds = part_kinds(np.random.default_rng(SEEDS[part] + 17), "au" if part == "au" else "emotion", n)
    jobs = [(SEEDS[part] + i, k) for i, k in enumerate(kinds)][len(start_recs):]
    with Pool(workers) as pool:
        out = pool.map(_render, jobs, chunksize=16)
    # Round-trip through JSON so a fresh render and a cached one give identical records (string AU keys).
    images = np.concatenate([start_images, np.stack([o[0] for o in out])])
    recs = start_recs + json.loads(json.dumps([o[1] for o in out]))
    if cache:
        np.savez(cache + ".tmp.npz", images=images, records=json.dumps(recs))
        os.replace(cache + ".tmp.npz", cache)
    return images, recs


def au_set(rec):
    return {int(k) for k in rec["aus"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="demo", choices=SCALES)
    ap.add_argument("--models", default=os.path.join(HERE, "..", "Models"))
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    ap.add_argument("--render-only", action="store_true", help="fill the face cache in --work and stop")
    ap.add_argument("--from-stage0", metavar="PT", help="skip LM pre-training and stage 0: start the captioners from "
                    "the stage0-<scale>.pt an earlier build of the same scale saved in --work")
    args = ap.parse_args()
    S = SCALES[args.scale]
    os.makedirs(args.work, exist_ok=True)
    started = time.time()
    torch.manual_seed(0)
    if DEVICE.type == "cpu":
        torch.set_num_threads(max(1, min(8, os.cpu_count() or 1)))
    logf = open(os.path.join(args.work, f"build-{args.scale}.log"), "a")
    times = {}

    def log(msg):
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        logf.write(line + "\n"); logf.flush()

    def stage(name):
        class T:
            def __enter__(self):
                self.t = time.time(); log(f"== {name}")
            def __exit__(self, *a):
                times[name] = time.time() - self.t; log(f"== {name}: {times[name]:.0f}s")
        return T()

    log(f"scale {args.scale} {S} device {DEVICE}")
    rng = np.random.default_rng(1)
    para = C.TemplateParaphraser()
    with stage("render"):
        workers = max(1, min(4, os.cpu_count() or 1))
        au_img, au_rec = render_set("au", S["au"], workers, args.work)
        emo_img, emo_rec = render_set("emo", S["emo"], workers, args.work)
        ev_img, ev_rec = render_set("eval", S["eval"], workers, args.work)
    if args.render_only:
        return
        # The evaluation needs both labels: keep only faces with an emotion (prototype, compound, neutral).
    all_rec = au_rec + emo_rec
    all_img = np.concatenate([au_img, emo_img])

    vocab = Vocabulary(all_rec)
    with stage("captions+tokenizer"):
        # (caption, content): the LM learns each caption after the content prefix of what it says.
        examples = []
        for r in all_rec:
            aus, look = au_set(r), appearance_labels(r)
            if aus:
                examples.append((C.rule_caption(aus), vocab.content("actions", aus)))
            examples += [(para(aus, rng), vocab.content("actions", aus)) for _ in range(3)]
            examples.append((C.appearance_caption(r, rng), vocab.content("appearance", appearance=look)))
            if r["emotion"]:
                examples.append((C.emotion_caption(r["emotion"]), vocab.content("emotion", emotion=r["emotion"])))
                examples.append((C.fused_caption(aus, r["emotion"], rng),
                                 vocab.content("fused", () if r["emotion"] == "neutral" else aus, r["emotion"])))
        corpus = [c for c, _ in examples]
        tok_dir = os.path.join(args.work, "tokenizer")
        tok = train_tokenizer(corpus, tok_dir)
        write_hf_files(tok_dir, tok)
        lens = [len(tok.encode(c)) for c in corpus]
        log(f"corpus {len(corpus)} captions, vocab {tok.vocab_size}, caption tokens max {max(lens)} mean {np.mean(lens):.1f}")

    tc = text_config(tok.vocab_size)
    cfg = blip2_config(tc, tok.image_id)
    # Renders are 224 px; the captioners see the image at the config's size, resized as the engine does.
    size = cfg.vision_config.image_size
    au_img, emo_img, all_img = resize(au_img, size), resize(emo_img, size), resize(all_img, size)
    lr = S.get("lr", 1e-3)
    if args.from_stage0:
        saved = torch.load(args.from_stage0, map_location=DEVICE)
        if saved["vocab"] != vocab.names or saved["scale"] != args.scale:
            sys.exit(f"{args.from_stage0}: saved by a build of another scale or label vocabulary")
        base = Blip2ForConditionalGeneration(cfg).to(DEVICE)
        base.load_state_dict(saved["base"])
        prefix = ContentPrefix(vocab, cfg.text_config.hidden_size).to(DEVICE)
        prefix.load_state_dict(saved["prefix"])
        for p in list(base.language_model.parameters()) + list(prefix.parameters()):
            p.requires_grad_(False)
        # The model card's timing table covers the whole pack: the stages this run skipped, as the saving build
        # measured them.
        times.update(saved.get("times", {}))
        log(f"LM and stage 0 loaded from {args.from_stage0}")
    else:
        with stage("pretrain-LM"):
            base = Blip2ForConditionalGeneration(cfg).to(DEVICE)
            start_image_path(base)
            prefix = ContentPrefix(vocab, cfg.text_config.hidden_size).to(DEVICE)
            train_lm(base, prefix, tok, examples, S["lm_steps"], S.get("lm_batch", 48), log,
                     max_seconds=S.get("caps", {}).get("lm"))
            for p in list(base.language_model.parameters()) + list(prefix.parameters()):
                p.requires_grad_(False)
    lm_state = {k: v.clone() for k, v in base.language_model.state_dict().items()}
    with stage("LM check: captions from the true content prefix of held-out faces"):
        # The ceiling for every captioner: the frozen LM given a perfect prefix. Scored like the captioners.
        ev_keep = [i for i, r in enumerate(ev_rec) if r["emotion"]]
        ev_r = [ev_rec[i] for i in ev_keep]
        oracle = {
            "AU-BLIP": caption_from_prefix(base, prefix, tok, [vocab.content("actions", au_set(r)) for r in ev_r]),
            "Emot-BLIP": caption_from_prefix(base, prefix, tok, [vocab.content("emotion", (), r["emotion"]) for r in ev_r]),
            "Exp-BLIP": caption_from_prefix(base, prefix, tok, [
                vocab.content("fused", () if r["emotion"] == "neutral" else au_set(r), r["emotion"]) for r in ev_r]),
            "BLIP-2": caption_from_prefix(base, prefix, tok, [
                vocab.content("appearance", appearance=appearance_labels(r)) for r in ev_r]),
        }
        for n in NAMES:
            log(f"  oracle {n}: {oracle[n][0]}")
        oracle_metrics = evaluate(oracle, ev_r, [C.rule_caption(au_set(r)) for r in ev_r])
        log("  oracle metrics: " + json.dumps(oracle_metrics))

    def fresh_from(src):
        m = Blip2ForConditionalGeneration(cfg).to(DEVICE)
        m.load_state_dict(src.state_dict())
        m.generation_config = GenerationConfig(**generation_config(MAX_NEW_TOKENS))
        return m

    def content_mask(groups):
        return torch.tensor([g in groups for g in SLOTS], dtype=torch.float32)

    label_targets = aux_targets([(au_set(r), None) for r in au_rec] + [(None, r["emotion"]) for r in emo_rec])
    # What stage 0 may know of each face: the AU part's AUs, the emotion part's emotions, everyone's appearance.
    # Indexed [face][mirrored].
    stage0 = [[(vocab.content("actions", au_set(r), None, appearance_labels(r, m)), content_mask({"upper", "lower", "appearance"}))
               for m in (False, True)] for r in au_rec]
    stage0 += [[(vocab.content("emotion", (), r["emotion"], appearance_labels(r, m)), content_mask({"emotion", "appearance"}))
                for m in (False, True)] for r in emo_rec]
    ev_emotion = [i for i, r in enumerate(ev_rec) if r["emotion"]]
    ev_px_u8 = resize(ev_img[ev_emotion], size)
    emotion_names = sorted({r["emotion"] for r in all_rec if r["emotion"]})
    emotion_slots = [j for j, g in enumerate(SLOTS) if g == "emotion"]
    with torch.no_grad():
        emotion_rows = prefix([vocab.content("emotion", (), e) for e in emotion_names])[:, emotion_slots]

    @torch.no_grad()
    def stage0_check(model, heads):
        """Held-out faces as stage 0 reads them: each label head's AUs (F1) and emotions (exact set), and the
        emotion the projected queries write (nearest emotion prefix): the image path's share of the captioners'
        errors."""
        recs = [ev_rec[i] for i in ev_emotion]
        truth_aus = [au_set(r) & set(facs.RENDERED_AUS) for r in recs]
        truth_emotions = [set(r["emotion"].split(" and ")) for r in recs]
        found = {name: ([], []) for name in heads}  # AU sets, emotion sets
        nearest = []
        for k in range(0, len(recs), 32):
            embeds, query_out, projected = project_queries(model, pixels(ev_px_u8[k:k + 32]))
            for name, tokens in (("patches", embeds), ("queries", query_out)):
                logits = heads[name].logits(tokens)
                named = LabelHead.named_emotions(logits[:, AUX_DIMS[0]:])
                for au_l, emo_on in zip(logits[:, :AUX_DIMS[0]].tolist(), named):
                    found[name][0].append({a for a, v in zip(facs.RENDERED_AUS, au_l) if v > 0})
                    found[name][1].append({facs.EMOTIONS[j] for j in emo_on.nonzero().flatten().tolist()})
            dist = (projected[:, emotion_slots].unsqueeze(1) - emotion_rows).pow(2).sum((-1, -2))
            nearest += [emotion_names[j] for j in dist.argmin(1).tolist()]
        parts = [f"{name} head AU F1 {set_prf(au_sets, truth_aus)[2]:.2f}, emotions "
                 f"{np.mean([e == t for e, t in zip(emo_sets, truth_emotions)]):.1%}"
                 for name, (au_sets, emo_sets) in found.items()]
        near = np.mean([e == r["emotion"] for e, r in zip(nearest, recs)])
        return "; ".join(parts + [f"projected queries' emotion {near:.1%}"])

    if not args.from_stage0:
        v_cap = stage0_cap(S, time.time() - started)
        if v_cap != S.get("caps", {}).get("v"):
            log(f"stage 0 capped at {v_cap}s so that the build ends within {S['budget']}s")
        with stage("stage 0: vision pre-training (AU part AUs, emotion part emotions, appearance)"):
            # Stand-in for BLIP-2's stage 1 (the published ViT/Q-Former came pre-trained on 129M pairs): a ViT from
            # scratch learns nothing about faces from the frozen-LM captioning loss alone (first demo build).
            pretrain_vision(base, prefix, all_img,
                            lambda idx, mir: ([stage0[i][int(m)][0] for i, m in zip(idx, mir)],
                                              torch.stack([stage0[i][int(m)][1] for i, m in zip(idx, mir)]), label_targets(idx)),
                            S["v_steps"], S["batch"], log, peak=S.get("v_lr", 3e-4),
                            max_seconds=v_cap, check=stage0_check,
                            parts=[(0, len(au_img)), (len(au_img), len(all_img))],
                            emotion_weight=S.get("v_emotion_weight", 1.0))
        # Stage 0 is most of the build's time: keep it, so captioner experiments can start from here.
        torch.save({"scale": args.scale, "vocab": vocab.names, "base": base.state_dict(), "prefix": prefix.state_dict(),
                    "times": {k: v for k, v in times.items() if k.startswith(("render", "captions", "pretrain", "stage 0"))}},
                   os.path.join(args.work, f"stage0-{args.scale}.pt"))

    models = {}
    # Eight held-out faces of different emotions, captioned greedily after each stage: the quick look that shows
    # whether captions follow the image before the full evaluation.
    probe = []
    for emo in facs.EMOTIONS + ["fear and surprise", "happiness and surprise"]:
        probe += [i for i, r in enumerate(ev_rec) if r["emotion"] == emo][:1]
    probe = probe[:8]
    probe_img = resize(ev_img[probe], size)

    def show(name):
        caps = caption(models[name], tok, probe_img, num_beams=1, max_new_tokens=60)
        for i, c in zip(probe, caps):
            log(f"  probe {name} [{ev_rec[i]['emotion']}; AUs {' '.join(ev_rec[i]['aus'])}]: {c}")

    # Every captioner starts from the stage-0 image path, as the paper's start from BLIP-2's pre-trained one.
    with stage("BLIP-2 stand-in (appearance, all faces)"):
        models["BLIP-2"] = fresh_from(base)
        train_captioner(models["BLIP-2"], prefix, tok, all_img,
                        lambda idx, r, mir: [C.appearance_caption(all_rec[i], r, m) for i, m in zip(idx, mir)],
                        lambda idx, mir: [vocab.content("appearance", appearance=appearance_labels(all_rec[i], m))
                                          for i, m in zip(idx, mir)],
                        S["b2_steps"], S["batch"], log, "BLIP-2", max_seconds=S.get("caps", {}).get("b2"), peak=lr)
        show("BLIP-2")

    # Stage 2: AU part gets AU captions only (rule-based or paraphrased), emotion part emotion captions only.
    def au_targets(idx, r, mirrored):
        out = []
        for i in idx:
            aus = au_set(au_rec[i])
            out.append(C.rule_caption(aus) if aus and r.random() < 0.5 else para(aus, r))
        return out

    with stage("stage 2: AU-BLIP"):
        models["AU-BLIP"] = fresh_from(base)
        train_captioner(models["AU-BLIP"], prefix, tok, au_img, au_targets,
                        lambda idx, mir: [vocab.content("actions", au_set(au_rec[i])) for i in idx],
                        S["au_steps"], S["batch"], log, "AU-BLIP", max_seconds=S.get("caps", {}).get("au"), peak=lr,
                        labels_fn=aux_targets([(au_set(r), None) for r in au_rec]))
        show("AU-BLIP")
    with stage("stage 2: Emot-BLIP"):
        models["Emot-BLIP"] = fresh_from(base)
        train_captioner(models["Emot-BLIP"], prefix, tok, emo_img,
                        lambda idx, r, mir: [C.emotion_caption(emo_rec[i]["emotion"]) for i in idx],
                        lambda idx, mir: [vocab.content("emotion", (), emo_rec[i]["emotion"]) for i in idx],
                        S["emo_steps"], S["batch"], log, "Emot-BLIP", max_seconds=S.get("caps", {}).get("emo"), peak=lr,
                        labels_fn=aux_targets([(None, r["emotion"]) for r in emo_rec]))
        show("Emot-BLIP")

    with stage("stage 3: pseudo-labels + fusion"):
        greedy = dict(num_beams=1, max_new_tokens=MAX_NEW_TOKENS)
        # AU part lacks emotions (Emot-BLIP fills them), emotion part lacks AUs (AU-BLIP fills them).
        pseudo_emo = caption(models["Emot-BLIP"], tok, au_img, batch=64, **greedy)
        pseudo_au = caption(models["AU-BLIP"], tok, emo_img, batch=64, **greedy)
        fused_src = []
        for i, r in enumerate(au_rec):
            emos = facs.parse_emotions(pseudo_emo[i])
            fused_src.append((au_set(r), facs.emotion_name(emos) if emos else "neutral"))
        for i, r in enumerate(emo_rec):
            fused_src.append((facs.parse_aus(pseudo_au[i]), r["emotion"]))
        fused_examples = [C.fused_caption(a, e, np.random.default_rng(k)) for k, (a, e) in enumerate(fused_src[:3])]
        log("fused examples: " + " | ".join(fused_examples))
        with open(os.path.join(args.work, "pseudo_labels.json"), "w") as f:
            json.dump({"emotion_for_au_part": pseudo_emo, "aus_for_emotion_part": pseudo_au}, f)

    def fused_content(i):
        aus, emotion = fused_src[i]
        # fused_caption names no action for a neutral face or an empty AU set, and then says "neutral"
        if not aus or emotion == "neutral":
            return vocab.content("fused", (), "neutral")
        return vocab.content("fused", aus, emotion)

    with stage("stage 3: Exp-BLIP"):
        # Trained on real + pseudo labels, exactly the information in the fused captions.
        models["Exp-BLIP"] = fresh_from(base)
        train_captioner(models["Exp-BLIP"], prefix, tok, all_img,
                        lambda idx, r, mir: [C.fused_caption(*fused_src[i], r) for i in idx],
                        lambda idx, mir: [fused_content(i) for i in idx],
                        S["exp_steps"], S["batch"], log, "Exp-BLIP", max_seconds=S.get("caps", {}).get("exp"),
                        peak=lr, labels_fn=aux_targets([(set(), "neutral") if not a or e == "neutral" else (a, e)
                                                        for a, e in fused_src]))
        show("Exp-BLIP")

    with stage("export"):
        for name, m in models.items():
            # Round to F16 so the training-time reference is the exported model's arithmetic.
            m.load_state_dict({k: v.half().float() for k, v in m.state_dict().items()})
            m.language_model.load_state_dict({k: v.half().float() for k, v in lm_state.items()})
            export_captioner(m, os.path.join(args.models, name), tok_dir, MAX_NEW_TOKENS)
        export_language_model(models["BLIP-2"], os.path.join(args.models, "_language-model"))

    with stage("evaluate"):
        keep = [i for i, r in enumerate(ev_rec) if r["emotion"]]
        ev_img, ev_rec = ev_img[keep], [ev_rec[i] for i in keep]
        caps = {n: caption(models[n], tok, ev_img, batch=16) for n in NAMES}
        rule_refs = [C.rule_caption(au_set(r)) for r in ev_rec]
        metrics = evaluate(caps, ev_rec, rule_refs)
        log(json.dumps(metrics, indent=1))
        sample = sample_faces()
        sample_img = np.stack([np.asarray(Image.open(os.path.join(HERE, "..", p)).convert("RGB")) for p, _ in sample])
        sample_caps = {n: caption(models[n], tok, sample_img, batch=16) for n in NAMES}
        with open(os.path.join(args.work, "reference_captions.json"), "w") as f:
            json.dump({"images": [p for p, _ in sample], "captions": sample_caps}, f, indent=1)
        with open(os.path.join(args.work, "eval_captions.json"), "w") as f:
            json.dump({"records": ev_rec, "captions": caps}, f)
    times_total = sum(times.values())
    log(f"total {times_total:.0f}s")
    import model_card
    model_card.write(args.models, args.scale, S, cfg, metrics, len(ev_rec), sample, sample_caps, times,
                     len(au_rec), len(emo_rec), oracle_metrics, len(corpus))


def sample_faces():
    """Six SampleFaces for the model cards: varied emotions, a compound, neutral, AU-only."""
    import csv
    with open(os.path.join(HERE, "..", "SampleFaces", "labels.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["file"].startswith("face_")]
    picks = ["face_01.png", "face_16.png", "face_31.png", "face_36.png", "face_42.png", "face_50.png"]
    return [(f"SampleFaces/{r['file']}", r) for r in rows if r["file"] in picks]


if __name__ == "__main__":
    main()
