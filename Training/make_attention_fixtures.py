#!/usr/bin/env python3
"""Reference numbers for facecap's "why did it say that" instruments, beside the parity fixtures.

For every parity model folder that has a reference.json (Tests/Fixtures/parity/<model>/), this reads
the generation cases recorded there and writes parity/<model>/attention_reference.json with, per case:
  token_logprobs     transformers' compute_transition_scores for the returned sequence: greedy from
                     the processed scores with normalize_logits=True (log-softmax after the logits
                     processors), beam search from the processed log-probs with beam_indices (the
                     chosen beam's per-token log-probabilities, normalize_logits=False)
  query_attention    per generated token, OPT self-attention (output_attentions=True, eager) from the
                     position that predicted the token to each query position, averaged over heads
                     and layers ([tokens][Q]); beam search: the row beam_indices names at that step
  token_patch_maps   per token, sum over queries of query_attention x qformer_cross_attention_mean
                     over the ViT patches (CLS dropped), scaled to sum to 1 ([tokens][patches])
and once per model:
  qformer_cross_attention_mean   Q-Former cross-attention (output_attentions=True), averaged over heads and
                                 cross-attention layers, [Q][1 + patches] (CLS first), rows sum to 1
It writes new files only: the existing fixtures (weights, reference.json/.safetensors) are read, never
rewritten, so the existing parity tests see exactly what they saw before.

Run:  python3 Training/make_attention_fixtures.py      (CPU, a few seconds)
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
import transformers
from PIL import Image
from transformers import Blip2ForConditionalGeneration, Blip2Processor
from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

ROOT = Path(__file__).resolve().parent.parent
PARITY = ROOT / "Tests" / "Fixtures" / "parity"
TEST_IMAGE = ROOT / "Tests" / "Fixtures" / "test.png"


def processor_for(folder: Path, ref: dict) -> Blip2Processor:
    proc = Blip2Processor.from_pretrained(folder)
    im = ref["image"]
    s = im["size"][0]
    # The PIL backend, pinned as make_parity_fixtures.py pins it.
    proc.image_processor = BlipImageProcessorPil(
        size={"height": s, "width": s}, resample=3, do_resize=True, do_rescale=True, rescale_factor=1 / 255,
        do_normalize=True, image_mean=im["mean"], image_std=im["std"], do_convert_rgb=True)
    return proc


@torch.no_grad()
def cross_attention_mean(model, pixel_values) -> torch.Tensor:
    vision = model.vision_model(pixel_values=pixel_values, return_dict=True).last_hidden_state
    out = model.qformer(query_embeds=model.query_tokens, encoder_hidden_states=vision,
                        encoder_attention_mask=torch.ones(vision.shape[:-1], dtype=torch.long),
                        output_attentions=True, return_dict=True)
    layers = [a for a in out.cross_attentions if a is not None]
    freq = model.config.qformer_config.cross_attention_frequency
    assert len(layers) == len(range(0, model.config.qformer_config.num_hidden_layers, freq)), len(layers)
    stacked = torch.stack([a[0] for a in layers])          # [layers, heads, Q, tokens]
    return stacked.mean(dim=(0, 1))                          # [Q, tokens]


@torch.no_grad()
def run_case(model, proc, image, case: dict, cross: torch.Tensor) -> dict:
    enc = proc(images=image, text=case["prompt"], return_tensors="pt")
    kw = case["generate_kwargs"]
    out = model.generate(pixel_values=enc["pixel_values"], input_ids=enc["input_ids"],
                         attention_mask=enc["attention_mask"], return_dict_in_generate=True,
                         output_scores=True, output_attentions=True, **kw)
    prompt_len = enc["input_ids"].shape[1]
    new = out.sequences[0, prompt_len:].tolist()
    beams = kw["num_beams"]
    if beams > 1:
        eos = kw["eos_token_id"]
        if eos in new:
            new = new[: new.index(eos) + 1]
    assert new == case["new_ids"], (case["name"], new, case["new_ids"])
    if beams == 1:
        scores = model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
        rows = [0] * len(new)
    else:
        scores = model.compute_transition_scores(out.sequences, out.scores, out.beam_indices, normalize_logits=False)
        rows = out.beam_indices[0, : len(new)].tolist()
    logprobs = scores[0, : len(new)].tolist()
    q = model.config.num_query_tokens
    query_attention, maps = [], []
    for t in range(len(new)):
        per_layer = torch.stack([layer[rows[t], :, -1, :q] for layer in out.attentions[t]])  # [layers, heads, Q]
        w = per_layer.mean(dim=(0, 1))
        query_attention.append(w.tolist())
        m = (w[:, None] * cross[:, 1:]).sum(dim=0)
        maps.append((m / m.sum()).tolist())
    return dict(name=case["name"], new_ids=new, token_logprobs=logprobs, query_attention=query_attention,
                token_patch_maps=maps)


def main() -> None:
    torch.set_num_threads(1)
    transformers.logging.set_verbosity_error()
    image = Image.open(TEST_IMAGE).convert("RGB")
    for ref_path in sorted(PARITY.glob("*/reference.json")):
        folder = ref_path.parent
        ref = json.loads(ref_path.read_text())
        model = Blip2ForConditionalGeneration.from_pretrained(folder, dtype=torch.float32,
                                                              attn_implementation="eager").eval()
        proc = processor_for(folder, ref)
        pv = proc(images=image, text="", return_tensors="pt")["pixel_values"]
        cross = cross_attention_mean(model, pv)
        assert torch.allclose(cross.sum(-1), torch.ones(cross.shape[0]), atol=1e-5)
        cases = [run_case(model, proc, image, c, cross) for c in ref["generation"]]
        vc = model.config.vision_config
        side = vc.image_size // vc.patch_size
        out = dict(
            model=ref["model"],
            transformers_version=transformers.__version__, torch_version=torch.__version__.split("+")[0],
            note=__doc__.split("\n\n")[1],
            patch_grid=[side, side],
            qformer_cross_attention_mean=cross.tolist(),
            cases=cases,
        )
        (folder / "attention_reference.json").write_text(json.dumps(out, indent=None) + "\n")
        print(f"{folder.name}: {len(cases)} cases, grid {side}x{side}, "
              f"min logprob {min(min(c['token_logprobs']) for c in cases):.3f}")


if __name__ == "__main__":
    main()
