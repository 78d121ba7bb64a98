"""Training and generation helpers shared by the stages (CPU by default, CUDA when present)."""
import math
import time

import numpy as np
import torch
from PIL import Image

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


def cosine_lr(step, total, peak, warmup, floor):
    if step < warmup:
        return peak * (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * min(1.0, t)))


class LabelHead(torch.nn.Module):
    """Auxiliary label predictor on the mean-pooled Q-Former query outputs: AU presence and emotion logits.
    A stand-in for BLIP-2's skipped stage-1 representation learning: with a frozen LM and a from-scratch ViT the
    captioning loss alone settles on the text prior, so this loss makes the image path carry the labels.
    Training-only; never exported."""

    def __init__(self, width, n_aus, n_emotions):
        super().__init__()
        self.n_aus = n_aus
        self.linear = torch.nn.Linear(width, n_aus + n_emotions)

    def loss(self, query_output, targets):
        """targets: (au [B,A] 0/1, au_mask [B], emo [B,E] 0/1, emo_mask [B]); masks say which labels a face has."""
        logits = self.linear(query_output.mean(1))
        au_t, au_m, emo_t, emo_m = (t.to(logits.device) for t in targets)
        total = logits.new_zeros(())
        for part, t, m in ((logits[:, :self.n_aus], au_t, au_m), (logits[:, self.n_aus:], emo_t, emo_m)):
            if m.any():
                total = total + torch.nn.functional.binary_cross_entropy_with_logits(part[m], t[m])
        return total, logits


def pretrain_vision(model, images, aux_fn, aux_dims, steps, batch, log, peak=5e-4, max_seconds=None, seed=0):
    """Stage 0: ViT + query tokens + Q-Former learn to predict the labels through LabelHead, no language model
    in the loop (about half the cost of a captioning step)."""
    g = torch.Generator().manual_seed(seed)
    head = LabelHead(model.config.qformer_config.hidden_size, *aux_dims).to(DEVICE)
    # A second head reads the ViT's mean token directly: through the Q-Former alone the from-scratch ViT
    # sat on the label prior for 2300 steps, while a head on the ViT itself starts learning after ~600.
    vit_head = LabelHead(model.config.vision_config.hidden_size, *aux_dims).to(DEVICE)
    params = list(model.vision_model.parameters()) + [model.query_tokens] + list(model.qformer.parameters())
    params += list(head.parameters()) + list(vit_head.parameters())
    opt = torch.optim.AdamW(params, lr=peak, weight_decay=0.05)
    model.train()
    t0, losses = time.time(), []
    for step in range(steps):
        idx = torch.randint(len(images), (batch,), generator=g).numpy()
        flip = torch.rand(batch, generator=g) < 0.5
        image_embeds = model.vision_model(pixel_values=pixels(images[idx], flip)).last_hidden_state
        queries = model.query_tokens.expand(batch, -1, -1)
        image_mask = torch.ones(image_embeds.shape[:-1], dtype=torch.long, device=DEVICE)
        q = model.qformer(query_embeds=queries, encoder_hidden_states=image_embeds,
                          encoder_attention_mask=image_mask).last_hidden_state
        for group in opt.param_groups:
            group["lr"] = cosine_lr(step, steps, peak, max(1, steps // 20), peak * 0.05)
        targets = aux_fn(idx)
        loss, _ = head.loss(q, targets)
        vit_loss, _ = vit_head.loss(image_embeds, targets)
        loss = loss + vit_loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        losses.append(loss.item())
        if step % 100 == 0 or step == steps - 1:
            log(f"  vision step {step}/{steps} label loss {np.mean(losses[-100:]):.3f} ({time.time() - t0:.0f}s)")
        if max_seconds and time.time() - t0 > max_seconds:
            log(f"  vision: time cap {max_seconds}s reached at step {step}")
            break
    model.eval()


def train_captioner(model, tok, images, captions_fn, steps, batch, log, name, peak=5e-4, max_seconds=None, seed=0,
                    aux_fn=None, aux_dims=None, aux_weight=1.0):
    """Stage-2 style training: ViT + Q-Former + projection learn, OPT frozen.
    captions_fn(indices, rng) -> list of target captions (lets a face draw a fresh paraphrase each time).
    aux_fn(indices) -> LabelHead targets for those faces (only the labels this stage may see); aux_dims=(A, E)."""
    g = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    for p in model.language_model.parameters():
        p.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    head, captured, hook = None, {}, None
    if aux_fn is not None:
        head = LabelHead(model.config.qformer_config.hidden_size, *aux_dims).to(DEVICE)
        params += list(head.parameters())
        hook = model.qformer.register_forward_hook(lambda m, i, o: captured.__setitem__("q", o[0]))
    opt = torch.optim.AdamW(params, lr=peak, weight_decay=0.05)
    model.train()
    model.language_model.eval()  # frozen: no dropout either
    t0, losses, aux_losses = time.time(), [], []
    for step in range(steps):
        idx = torch.randint(len(images), (batch,), generator=g).numpy()
        flip = torch.rand(batch, generator=g) < 0.5
        px = pixels(images[idx], flip)
        ids, mask, labels = batch_ids(tok, captions_fn(idx, rng), model.config.num_query_tokens, model.config.image_token_index)
        for group in opt.param_groups:
            group["lr"] = cosine_lr(step, steps, peak, max(1, steps // 20), peak * 0.05)
        loss = model(pixel_values=px, input_ids=ids, attention_mask=mask, labels=labels).loss
        losses.append(loss.item())
        if head is not None:
            aux, _ = head.loss(captured.pop("q"), aux_fn(idx))
            aux_losses.append(aux.item())
            loss = loss + aux_weight * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if step % 50 == 0 or step == steps - 1:
            extra = f" aux {np.mean(aux_losses[-50:]):.3f}" if aux_losses else ""
            log(f"  {name} step {step}/{steps} loss {np.mean(losses[-50:]):.3f}{extra} ({time.time() - t0:.0f}s)")
        if max_seconds and time.time() - t0 > max_seconds:
            log(f"  {name}: time cap {max_seconds}s reached at step {step}")
            break
    if hook is not None:
        hook.remove()
    model.eval()
    return float(np.mean(losses[-50:]))


def train_lm(lm, tok, corpus, steps, batch, log, peak=2e-3, seed=0, max_seconds=None):
    """Pre-train the OPT decoder on the caption corpus (the stand-in for OPT's web pre-training)."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(lm.parameters(), lr=peak, weight_decay=0.01)
    lm.train()
    encoded = [[BOS] + tok.encode(c)[:120] + [EOS] for c in corpus]
    t0 = time.time()
    for step in range(steps):
        idx = torch.randint(len(encoded), (batch,), generator=g).tolist()
        seqs = [encoded[i] for i in idx]
        w = max(map(len, seqs))
        ids = torch.full((batch, w), PAD, dtype=torch.long)
        labels = torch.full_like(ids, -100)
        mask = torch.zeros_like(ids)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = torch.tensor(s); labels[i, 1:len(s)] = torch.tensor(s[1:]); mask[i, :len(s)] = 1
        for group in opt.param_groups:
            group["lr"] = cosine_lr(step, steps, peak, max(1, steps // 20), peak * 0.05)
        loss = lm(input_ids=ids.to(DEVICE), attention_mask=mask.to(DEVICE), labels=labels.to(DEVICE)).loss
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            log(f"  LM step {step}/{steps} loss {loss.item():.3f} ({time.time() - t0:.0f}s)")
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
