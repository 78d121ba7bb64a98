"""PyTorch reference timings for `scripts/bench-vs-pytorch`: Blip2ForConditionalGeneration in BF16
with random weights for a config.json, timed like `facecap bench` (encoder = ViT + Q-Former +
projection; prefill over [queries][</s>]; decode per token), printed as one JSON object.

Run with nice and alone (never beside facecap): the real-size configs need ~8-15 GB.
"""
import argparse
import json
import resource
import statistics
import time

import torch
from transformers import Blip2Config, Blip2ForConditionalGeneration


def median_time(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--new-tokens", type=int, default=16)
    parser.add_argument("--beams", default="1,5", help="comma-separated beam widths to time")
    args = parser.parse_args()

    torch.manual_seed(0)
    config = Blip2Config.from_pretrained(args.config)
    # Random weights without the slow per-module init: build on the meta device, make it BF16 there
    # (an F32 OPT-6.7B would not fit beside anything on 24 GB), then allocate and fill.
    with torch.device("meta"):
        model = Blip2ForConditionalGeneration(config)
    model = model.to(torch.bfloat16).to_empty(device="cpu").eval()
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(-0.02, 0.02)
        for b in model.buffers():
            if b.is_floating_point():
                b.zero_()
    if hasattr(model.language_model, "model"):
        positions = model.language_model.model.decoder.embed_positions
        positions.weight.data.uniform_(-0.02, 0.02)

    v = config.vision_config
    pixels = torch.rand(1, 3, v.image_size, v.image_size, dtype=torch.bfloat16) * 2 - 1
    result = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    with torch.inference_mode():
        def encode():
            return model.get_image_features(pixel_values=pixels)
        encode()
        result["encode_ms"] = median_time(encode, args.runs)

        queries = config.num_query_tokens
        embeds = torch.rand(1, queries + 1, config.text_config.word_embed_proj_dim, dtype=torch.bfloat16) * 0.1
        mask = torch.ones(1, queries + 1, dtype=torch.long)
        lm = model.language_model

        def prefill():
            return lm(inputs_embeds=embeds, attention_mask=mask, use_cache=True)
        prefill()
        result["prefill_ms"] = median_time(prefill, args.runs)

        for beams in [int(b) for b in args.beams.split(",")]:
            def generate(n):
                return lm.generate(inputs_embeds=embeds, attention_mask=mask, max_new_tokens=n, min_new_tokens=n,
                                   num_beams=beams, do_sample=False, eos_token_id=None, pad_token_id=1)
            generate(2)
            total = median_time(lambda: generate(args.new_tokens), args.runs)
            result[f"beam{beams}_total_ms"] = total
            # generate's first token comes from the prefill; the others are decode steps.
            result[f"beam{beams}_decode_ms_per_token"] = (total - result["prefill_ms"]) / max(args.new_tokens - 1, 1)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
