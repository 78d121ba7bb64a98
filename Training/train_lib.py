"""Training and generation helpers shared by the stages (CPU by default, CUDA when present)."""
import math
import time

import numpy as np
import torch
from PIL import Image

import facs
from tokenizer_build import BOS, EOS, PAD

MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1)
STD = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1)
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def resize(images_u8, size):
    """uint8 N x H x W x 3 -> N x size x size x 3 with PIL bicubic, as BlipImageProcessor (resample 3) does."""
    if images_u8.shape[1] == size and images_u8.shape[2] == size:
        return images_u8
    return np.stack([np.asarray(Image.fromarray(im).resize((size, size), Image.BICUBIC)) for im in images_u8])


def pixels(images_u8, flip=None):
    """uint8 N x S x S x 3 (already at the model's image size) -> normalized float N x 3 x S x S."""
    x = torch.as_tensor(images_u8).permute(0, 3, 1, 2).float() / 255.0
    if flip is not None:
        x = torch.where(flip.view(-1, 1, 1, 1), x.flip(-1), x)
    return ((x - MEAN) / STD).to(DEVICE)


def batch_ids(tok, captions, queries, image_id):
    """input_ids = <image>*Q </s> caption </s>, labels ignore the image tokens and the prompt </s>."""
    seqs = [tok.encode(c)[:120] + [EOS] for c in captions]
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), queries + 1 + width), PAD, dtype=torch.long)
    labels = torch.full_like(ids, -100)
    mask = torch.zeros_like(ids)
    for i, s in enumerate(seqs):
        n = queries + 1 + len(s)
        ids[i, :queries] = image_id
        ids[i, queries] = BOS
        ids[i, queries + 1:n] = torch.tensor(s)
        labels[i, queries + 1:n] = torch.tensor(s)
        mask[i, :n] = 1
    return ids.to(DEVICE), mask.to(DEVICE), labels.to(DEVICE)


def optimizer_step(opt, params, loss, step, steps, peak):
    """One update of every training loop here: cosine schedule with 5% linear warm-up to a 5% floor, gradient
    norm clipped at 1."""
    for group in opt.param_groups:
        group["lr"] = cosine_lr(step, steps, peak, max(1, steps // 20), peak * 0.05)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()


def cosine_lr(step, total, peak, warmup, floor):
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * min(1.0, t)))


AUX_DIMS = (len(facs.RENDERED_AUS), len(facs.EMOTIONS))


def aux_targets(labels):
    """LabelHead targets for a list of (AU set or None, emotion name or None) in the order faces are indexed.
    None = this stage may not see that label for that face (a stage-2 model never gets the other part's labels)."""
    n = len(labels)
    au = torch.zeros(n, AUX_DIMS[0]); emo = torch.zeros(n, AUX_DIMS[1])
    for i, (aus, emotion) in enumerate(labels):
        for a in aus or ():
            if a in facs.RENDERED_AUS:
                au[i, facs.RENDERED_AUS.index(a)] = 1
        for e in (emotion.split(" and ") if emotion else []):
            emo[i, facs.EMOTIONS.index(e)] = 1
    au_m = torch.tensor([a is not None for a, _ in labels]); emo_m = torch.tensor([bool(e) for _, e in labels])
    return lambda idx: (au[idx], au_m[idx], emo[idx], emo_m[idx])


class LabelHead(torch.nn.Module):
    """Stage-0 helper: AU presence and emotion logits read linearly from a *flattened* token sequence (the ViT's
    tokens, or the Q-Former's query outputs). A from-scratch ViT trained through a mean-pooled head stayed at
    the label prior for thousands of steps; read position by position, it reached AU F1 0.44 on held-out faces
    in 200 steps. On the query outputs, the same head gives the Q-Former a classification signal that the
    prefix regression alone lacks: a probe with both heads read 75% of held-out emotions after 1400 steps, where
    the build's captioners had reached 24% (Training/README.md). Training-only."""

    def __init__(self, tokens, width, n_aus, n_emotions):
        super().__init__()
        self.n_aus = n_aus
        self.linear = torch.nn.Linear(tokens * width, n_aus + n_emotions)

    def logits(self, tokens):
        """B x (AUs + emotions)."""
        return self.linear(tokens.flatten(1))

    @staticmethod
    def named_emotions(emotion_logits):
        """B x E booleans: every emotion with a positive logit, else the most likely one (a compound face has two,
        and a caption always names one)."""
        on = emotion_logits > 0
        none = ~on.any(1)
        on[none, emotion_logits[none].argmax(1)] = True
        return on

    def loss(self, tokens, targets, emotion_weight=1.0):
        """targets: (au [B,A] 0/1, au_mask [B], emo [B,E] 0/1, emo_mask [B]); masks say which labels a face has."""
        logits = self.logits(tokens)
        au_t, au_m, emo_t, emo_m = (t.to(logits.device) for t in targets)
        total = logits.new_zeros(())
        for part, t, m, w in ((logits[:, :self.n_aus], au_t, au_m, 1.0), (logits[:, self.n_aus:], emo_t, emo_m, emotion_weight)):
            if m.any():
                total = total + w * torch.nn.functional.binary_cross_entropy_with_logits(part[m], t[m])
        return total


def prefix_regression(projected, target, slot_mask=None):
    """Mean squared error of the projected queries against the content prefix, relative to the prefix's power,
    over the supervised slots (slot_mask B x slots; None = all)."""
    err = (projected - target).pow(2).mean(-1)
    if slot_mask is None:
        slot_mask = torch.ones_like(err)
    return (err * slot_mask).sum() / slot_mask.sum().clamp(min=1) / target.pow(2).mean()


def project_queries(model, pixel_values):
    """ViT tokens, the Q-Former's 16 query outputs, and those projected (what Blip2 puts in the LM's image
    positions)."""
    image_embeds = model.vision_model(pixel_values=pixel_values).last_hidden_state
    queries = model.query_tokens.expand(image_embeds.shape[0], -1, -1)
    q = model.qformer(query_embeds=queries, encoder_hidden_states=image_embeds).last_hidden_state
    return image_embeds, q, model.language_projection(q)


@torch.no_grad()
def start_image_path(model, position_std=0.5, cross_qk_std=0.1):
    """From-scratch start for what BLIP-2 loads pre-trained: the 16 query tokens and the Q-Former's choice of
    where to look. transformers leaves query_tokens at zero (16 identical queries get identical gradients and
    never differ): draw them from N(0, 0.02) as BLIP-2 does. With its 0.02 initializer the Q-Former's
    cross-attention logits are ~0.08 apart, i.e. every query averages the whole image, and an average of
    untrained ViT tokens says nothing about a face: the queries stayed at the label prior for ~600 stage-0 steps.
    Strong position embeddings and larger cross-attention query/key weights make each query start out looking
    at a few places instead; probe (exp. in Training/README.md): AU F1 0.47 -> 0.57 and emotions 27% -> 47% of
    held-out faces after 800 steps."""
    model.query_tokens.normal_(0.0, 0.02)
    model.vision_model.embeddings.position_embedding.normal_(0.0, position_std)
    for layer in model.qformer.encoder.layer:
        if getattr(layer, "has_cross_attention", False):
            layer.crossattention.attention.query.weight.normal_(0.0, cross_qk_std)
            layer.crossattention.attention.key.weight.normal_(0.0, cross_qk_std)


def batch_indices(parts, batch, g):
    """One batch of face indices with an equal share drawn from each (start, stop) part."""
    shares = [batch // len(parts) + (i < batch % len(parts)) for i in range(len(parts))]
    return np.concatenate([torch.randint(a, b, (k,), generator=g).numpy() for (a, b), k in zip(parts, shares)])


def pretrain_vision(model, prefix, images, targets_fn, steps, batch, log, peak=3e-4, max_seconds=None,
                    seed=0, check=None, check_every=1000, parts=None, emotion_weight=1.0):
    """Stage 0, the stand-in for BLIP-2's skipped representation learning: ViT + query tokens + Q-Former +
    projection learn to write the content prefix of each face's known labels (no LM in the loop, about half
    the cost of a captioning step), helped by a LabelHead on the ViT tokens and one on the query outputs.
    targets_fn(idx, mirrored) -> (contents, slot_mask B x slots, LabelHead targets); mirrored[b] says face b
    is seen flipped (its light comes from the other side). check(model, heads) -> a line for the log, run every
    check_every steps and at the end (the held-out reading of the image path, to tell its limits from the
    captioners'). parts: (start, stop) index ranges of images that each get an equal share of every batch, so
    a larger emotion part adds variety without taking steps from the AU part. emotion_weight scales the heads'
    emotion loss against their AU loss: one emotion per face is a thinner signal than 19 AU labels."""
    g = torch.Generator().manual_seed(seed)
    parts = parts or [(0, len(images))]
    vit = model.config.vision_config
    heads = torch.nn.ModuleDict({
        "patches": LabelHead((vit.image_size // vit.patch_size) ** 2 + 1, vit.hidden_size, *AUX_DIMS),
        "queries": LabelHead(model.config.num_query_tokens, model.config.qformer_config.hidden_size, *AUX_DIMS),
    }).to(DEVICE)
    params = list(model.vision_model.parameters()) + [model.query_tokens] + list(model.qformer.parameters())
    params += list(model.language_projection.parameters()) + list(heads.parameters())
    opt = torch.optim.AdamW(params, lr=peak, weight_decay=0.05)
    model.train()
    t0, losses, reg = time.time(), [], []
    for step in range(steps):
        idx = batch_indices(parts, batch, g)
        flip = torch.rand(batch, generator=g) < 0.5
        image_embeds, query_out, projected = project_queries(model, pixels(images[idx], flip))
        contents, slot_mask, label_targets = targets_fn(idx, flip.numpy())
        with torch.no_grad():
            target = prefix(contents)
        r = prefix_regression(projected, target, slot_mask.to(DEVICE))
        loss = r + sum(heads[k].loss(t, label_targets, emotion_weight)
                       for k, t in (("patches", image_embeds), ("queries", query_out)))
        optimizer_step(opt, params, loss, step, steps, peak)
        losses.append(loss.item()); reg.append(r.item())
        if step % 100 == 0 or step == steps - 1:
            log(f"  vision step {step}/{steps} loss {np.mean(losses[-100:]):.3f} prefix {np.mean(reg[-100:]):.3f}"
                f" ({time.time() - t0:.0f}s)")
        capped = max_seconds and time.time() - t0 > max_seconds
        if capped:
            log(f"  vision: time cap {max_seconds}s reached at step {step}")
        if check and (step % check_every == check_every - 1 or step == steps - 1 or capped):
            model.eval()
            log(f"  vision step {step} held-out: {check(model, heads)}")
            model.train()
        if capped:
            break
    model.eval()


def train_captioner(model, prefix, tok, images, captions_fn, contents_fn, steps, batch, log, name, peak=5e-4,
                    max_seconds=None, seed=0, prefix_weight=1.0, labels_fn=None):
    """Stage-2 style training: ViT + Q-Former + projection learn, OPT frozen. Loss: captioning through the
    frozen LM + prefix regression onto the content prefix of what this captioner's captions say about the face
    (+ with labels_fn, a LabelHead on the query outputs for the labels its captions state, as in stage 0: it
    keeps the queries reading the face while the captioning loss fits the words).
    captions_fn(indices, rng, mirrored) -> target captions (a face may draw a fresh paraphrase each time);
    contents_fn(indices, mirrored) -> content_prefix contents of those faces in this captioner's style;
    mirrored[b] says face b is seen flipped; labels_fn(indices) -> LabelHead targets (aux_targets)."""
    g = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    for p in model.language_model.parameters():
        p.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    head = None
    if labels_fn:
        head = LabelHead(model.config.num_query_tokens, model.config.qformer_config.hidden_size, *AUX_DIMS).to(DEVICE)
        params += list(head.parameters())
    captured = {}
    hook = model.language_projection.register_forward_hook(
        lambda m, i, o: captured.update(query_out=i[0], q=o))
    opt = torch.optim.AdamW(params, lr=peak, weight_decay=0.05)
    model.train()
    model.language_model.eval()  # frozen: no dropout either
    t0, losses, reg = time.time(), [], []
    for step in range(steps):
        idx = torch.randint(len(images), (batch,), generator=g).numpy()
        flip = torch.rand(batch, generator=g) < 0.5
        px = pixels(images[idx], flip)
        ids, mask, labels = batch_ids(tok, captions_fn(idx, rng, flip.numpy()), model.config.num_query_tokens, model.config.image_token_index)
        loss = model(pixel_values=px, input_ids=ids, attention_mask=mask, labels=labels).loss
        losses.append(loss.item())
        with torch.no_grad():
            target = prefix(contents_fn(idx, flip.numpy()))
        r = prefix_regression(captured.pop("q"), target)
        reg.append(r.item())
        loss = loss + prefix_weight * r
        if head is not None:
            loss = loss + head.loss(captured["query_out"], labels_fn(idx))
        captured.clear()
        optimizer_step(opt, params, loss, step, steps, peak)
        if step % 50 == 0 or step == steps - 1:
            log(f"  {name} step {step}/{steps} loss {np.mean(losses[-50:]):.3f} prefix {np.mean(reg[-50:]):.3f}"
                f" ({time.time() - t0:.0f}s)")
        if max_seconds and time.time() - t0 > max_seconds:
            log(f"  {name}: time cap {max_seconds}s reached at step {step}")
            break
    hook.remove()
    model.eval()
    return float(np.mean(losses[-50:]))


def train_lm(model, prefix, tok, examples, steps, batch, log, peak=2e-3, seed=0, max_seconds=None, noise=0.3):
    """Pre-train the OPT decoder on the caption corpus (the stand-in for OPT's web pre-training), each caption
    preceded by its content prefix in the 16 query positions (content_prefix.py), laid out exactly as
    Blip2ForConditionalGeneration feeds the LM: [16 prefix vectors] </s> caption </s>.
    examples: list of (caption, content). Gaussian noise on the prefix (relative std `noise`) teaches the LM to
    read an imperfect prefix, which is what a learned image path writes."""
    g = torch.Generator().manual_seed(seed)
    lm = model.language_model
    queries, image_id = model.config.num_query_tokens, model.config.image_token_index
    params = list(lm.parameters()) + list(prefix.parameters())
    opt = torch.optim.AdamW(params, lr=peak, weight_decay=0.01)
    lm.train()
    t0, losses = time.time(), []
    for step in range(steps):
        idx = torch.randint(len(examples), (batch,), generator=g).tolist()
        ids, mask, labels = batch_ids(tok, [examples[i][0] for i in idx], queries, image_id)
        vectors = prefix([examples[i][1] for i in idx])
        vectors = vectors + noise * vectors.detach().pow(2).mean().sqrt() * torch.randn(vectors.shape, generator=g).to(DEVICE)
        embeds = lm.get_input_embeddings()(ids)
        embeds = torch.cat([vectors, embeds[:, queries:]], dim=1)
        loss = lm(inputs_embeds=embeds, attention_mask=mask, labels=labels).loss
        optimizer_step(opt, params, loss, step, steps, peak)
        losses.append(loss.item())
        if step % 100 == 0 or step == steps - 1:
            log(f"  LM step {step}/{steps} loss {np.mean(losses[-100:]):.3f} ({time.time() - t0:.0f}s)")
        if max_seconds and time.time() - t0 > max_seconds:
            log(f"  LM: time cap {max_seconds}s reached at step {step}")
            break
    lm.eval()


@torch.no_grad()
def caption(model, tok, images, batch=32, **gen):
    """Captions for uint8 images with the model's generation settings (overridable)."""
    model.eval()
    # Blip2's generate forwards to language_model.generate, which would use the LM's own defaults: pass the
    # captioner's generation_config.json settings explicitly.
    gc = model.generation_config
    settings = {k: getattr(gc, k) for k in ("num_beams", "max_new_tokens", "length_penalty", "repetition_penalty",
                                            "do_sample", "bos_token_id", "eos_token_id", "pad_token_id")}
    settings.update(gen)
    images = resize(images, model.config.vision_config.image_size)
    out = []
    for i in range(0, len(images), batch):
        ids = model.generate(pixel_values=pixels(images[i:i + batch]), **settings)
        out += [tok.decode(row.tolist()) for row in ids]
    return out


@torch.no_grad()
def caption_from_prefix(model, prefix, tok, contents, max_new_tokens=60):
    """Greedy captions the frozen LM writes after given content prefixes: the ceiling the image path can reach
    (if these are wrong, no image path can make them right)."""
    lm = model.language_model
    lm.eval()
    vectors = prefix(contents)
    bos = lm.get_input_embeddings()(torch.full((len(contents), 1), BOS, dtype=torch.long, device=DEVICE))
    embeds = torch.cat([vectors, bos], dim=1)
    mask = torch.ones(embeds.shape[:2], dtype=torch.long, device=DEVICE)
    ids = lm.generate(inputs_embeds=embeds, attention_mask=mask, max_new_tokens=max_new_tokens, num_beams=1,
                      do_sample=False, eos_token_id=EOS, pad_token_id=PAD, bos_token_id=BOS)
    return [tok.decode(row.tolist()) for row in ids]
