"""How fast can the from-scratch image path read a face? A stage-0 probe without the LM or the content prefix:
ViT + query tokens + Q-Former learn the AU part's AUs and the emotion part's emotions through LabelHeads, and
every 200 steps the query head is scored on held-out faces (AU F1; emotion of single-emotion faces, argmax).

    python3 Training/probe_image_path.py --seconds 960                 # the build's start (start_image_path)
    python3 Training/probe_image_path.py --seconds 960 --plain-start   # transformers' initialisation
    python3 Training/probe_image_path.py --seconds 960 --augment       # + random scale/shift/brightness
    python3 Training/probe_image_path.py --steps 3000 --schedule-steps 3000 --threads 1 --balanced \
        --au-faces 4800 --emotion-faces 14400 --emotion-weight 3       # the demo's stage-0 settings, fixed length

Reads the render cache in Training/work/ (python3 Training/build_demo_pack.py --scale demo --render-only) and
renders what it lacks. Two probes fit side by side on 2 cores with --threads 1; --steps makes two such probes
comparable. The numbers in Training/README.md come from here.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model_config import blip2_config, text_config  # noqa: E402
from train_lib import AUX_DIMS, LabelHead, aux_targets, batch_indices, cosine_lr, pixels, project_queries, start_image_path  # noqa: E402
from build_demo_pack import render_set  # noqa: E402
from transformers import Blip2ForConditionalGeneration  # noqa: E402

A, E = AUX_DIMS


def augment(x, g):
    """Random scale and shift (up to 8%) and brightness/contrast (10%) of normalised pixels."""
    b = x.shape[0]
    u = lambda *shape: torch.rand(*shape, generator=g) * 2 - 1  # noqa: E731
    theta = torch.zeros(b, 2, 3)
    scale = 1 + 0.08 * u(b)
    theta[:, 0, 0], theta[:, 1, 1], theta[:, 0, 2], theta[:, 1, 2] = scale, scale, 0.08 * u(b), 0.08 * u(b)
    grid = torch.nn.functional.affine_grid(theta, x.shape, align_corners=False)
    x = torch.nn.functional.grid_sample(x, grid, padding_mode="border", align_corners=False)
    return x * (1 + 0.1 * u(b, 1, 1, 1)) + 0.1 * u(b, 1, 1, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=960)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--schedule-steps", type=int, default=3000, help="cosine length (the probe stops on time)")
    ap.add_argument("--au-faces", type=int, default=2400, help="the first N faces of the AU part")
    ap.add_argument("--emotion-faces", type=int, default=2400, help="the first N faces of the emotion part")
    ap.add_argument("--plain-start", action="store_true", help="only draw the query tokens (no start_image_path)")
    ap.add_argument("--augment", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=0, help="stop after this many steps instead of on time (fair when "
                    "two probes share the CPU)")
    ap.add_argument("--emotion-weight", type=float, default=1.0, help="weight of the emotion part of both heads' loss")
    ap.add_argument("--balanced", action="store_true", help="half of every batch from each part, as the build")
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)

    # From the build's face cache (any cached set at least this large), rendered and cached if missing.
    au_img, au_rec = render_set("au", args.au_faces, 2, args.work)
    emo_img, emo_rec = render_set("emo", args.emotion_faces, 2, args.work)
    ev_img, ev_rec = render_set("eval", 160, 2, args.work)
    images = np.concatenate([au_img, emo_img])
    aus = lambda r: {int(k) for k in r["aus"]}  # noqa: E731
    # The paper's split: AU part faces teach AUs only, emotion part faces emotions only.
    targets = aux_targets([(aus(r), None) for r in au_rec] + [(None, r["emotion"]) for r in emo_rec])
    ev_au, _, ev_emo, _ = aux_targets([(aus(r), r["emotion"]) for r in ev_rec])(slice(None))
    single = ev_emo.sum(1) == 1
    has_emotion = ev_emo.sum(1) > 0
    # Memorisation check: 160 emotion-part training faces read like the held-out ones.
    tr_idx = np.arange(len(au_img), len(au_img) + min(160, len(emo_img)))
    tr_emo = targets(torch.as_tensor(tr_idx))[2]

    model = Blip2ForConditionalGeneration(blip2_config(text_config(751), 750))
    if args.plain_start:
        with torch.no_grad():
            model.query_tokens.normal_(0.0, 0.02)
    else:
        start_image_path(model)
    vit, cfg = model.config.vision_config, model.config
    heads = torch.nn.ModuleDict({
        "patches": LabelHead((vit.image_size // vit.patch_size) ** 2 + 1, vit.hidden_size, A, E),
        "queries": LabelHead(cfg.num_query_tokens, cfg.qformer_config.hidden_size, A, E)})
    params = list(model.vision_model.parameters()) + [model.query_tokens] + list(model.qformer.parameters())
    params += list(heads.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.05)

    @torch.no_grad()
    def query_logits(imgs):
        model.eval()
        logits = torch.cat([heads["queries"].logits(project_queries(model, pixels(imgs[i:i + 40]))[1])
                            for i in range(0, len(imgs), 40)])
        model.train()
        return logits

    def held_out():
        logits = query_logits(ev_img)
        on = (logits[:, :A] > 0).float()
        f1 = 2 * (on * ev_au).sum() / (on.sum() + ev_au.sum())
        acc = (logits[single, A:].argmax(1) == ev_emo[single].argmax(1)).float().mean()
        exact = (LabelHead.named_emotions(logits[:, A:]).float()[has_emotion] == ev_emo[has_emotion]).all(1).float().mean()
        train_exact = (LabelHead.named_emotions(query_logits(images[tr_idx])[:, A:]).float() == tr_emo).all(1).float().mean()
        return f1.item(), acc.item(), exact.item(), train_exact.item()

    g = torch.Generator().manual_seed(0)
    parts = [(0, len(au_img)), (len(au_img), len(images))] if args.balanced else [(0, len(images))]
    model.train()
    t0, losses, step = time.time(), [], 0
    while (step < args.steps) if args.steps else (time.time() - t0 < args.seconds):
        idx = torch.as_tensor(batch_indices(parts, 24, g))
        x = pixels(images[idx.numpy()], torch.rand(24, generator=g) < 0.5)
        if args.augment:
            x = augment(x, g)
        embeds, query_out, _ = project_queries(model, x)
        batch_targets = targets(idx)
        loss = sum(heads[k].loss(t, batch_targets, args.emotion_weight) for k, t in (("patches", embeds), ("queries", query_out)))
        for group in opt.param_groups:
            group["lr"] = cosine_lr(step, args.schedule_steps, args.lr, 100, args.lr * 0.05)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        losses.append(loss.item())
        step += 1
        done = step == args.steps if args.steps else time.time() - t0 >= args.seconds
        if step % 200 == 0 or done:
            f1, acc, exact, train_exact = held_out()
            print(f"step {step} {time.time() - t0:.0f}s loss {np.mean(losses[-200:]):.3f} held-out: query head "
                  f"AU F1 {f1:.2f}, single emotions {acc:.0%}, all emotions (exact set) {exact:.0%}; "
                  f"training faces' emotions {train_exact:.0%}", flush=True)


if __name__ == "__main__":
    main()
