#!/usr/bin/env python3
"""Checks a `facecap convert --lavis` folder with transformers itself.

    swift build --product facecap
    .build/debug/facecap convert --lavis Tests/Fixtures/lavis/exp-blip-f32/tiny_exp_blip.pth \\
        --language-model Tests/Fixtures/lavis/opt -o /tmp/converted
    python3 Training/check_lavis_convert.py /tmp/converted Tests/Fixtures/lavis/exp-blip-f32

Loads the folder with Blip2ForConditionalGeneration.from_pretrained, AutoTokenizer and the
saved image processor, generates with the folder's own generation_config.json (the authors'
decoding; passed explicitly, as Blip2's generate does not apply it by itself in transformers 5.24) and compares the new ids with the reference transformers computed on the original
weights (reference.json beside the .pth). transformers uses layer_norm_eps (1e-6) for
post_layernorm; the authors' ln_vision has 1e-5 (config.json keeps it as post_layernorm_eps), so
the check runs with post_layernorm.eps set from that key, and reports the unpatched run too.
"""
import json
import sys
from pathlib import Path

import torch
from PIL import Image
from transformers import AutoTokenizer, Blip2ForConditionalGeneration, GenerationConfig
from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

ROOT = Path(__file__).resolve().parent.parent


@torch.no_grad()
def main(folder: Path, reference_folder: Path) -> None:
    ref = json.loads((reference_folder / "reference.json").read_text())
    expected = {c["name"]: c["new_ids"] for c in ref["generation"]}
    config = json.loads((folder / "config.json").read_text())
    model = Blip2ForConditionalGeneration.from_pretrained(folder, dtype=torch.float32).eval()
    tok = AutoTokenizer.from_pretrained(folder)
    gen = GenerationConfig.from_pretrained(folder)
    assert tok("\n", add_special_tokens=False).input_ids == [gen.eos_token_id], "eos is the id of \\n"
    assert tok.convert_tokens_to_ids("<image>") == config["image_token_index"]
    processor = BlipImageProcessorPil.from_pretrained(folder)
    image = Image.open(ROOT / "Tests" / "Fixtures" / "test.png").convert("RGB")
    pv = torch.from_numpy(processor(image, return_tensors="np")["pixel_values"])
    ids = torch.tensor([[config["image_token_index"]] * config["num_query_tokens"] + [gen.bos_token_id]])

    def run() -> list[int]:
        # Blip2ForConditionalGeneration.generate hands over to its language model, which does not see
        # the folder's generation_config.json unless it is passed (transformers 5.24).
        out = model.generate(pixel_values=pv, input_ids=ids, attention_mask=torch.ones_like(ids), generation_config=gen)
        return out[0, ids.shape[1]:].tolist()

    plain = run()
    model.vision_model.post_layernorm.eps = config["vision_config"]["post_layernorm_eps"]
    patched = run()
    print(f"transformers on the converted folder, ln_vision eps {model.vision_model.post_layernorm.eps}: "
          f"{'same ids' if patched == expected['authors_beam5'] else 'DIFFERENT ids'} as the reference ({len(patched)} tokens)")
    print(f"transformers on the converted folder, unpatched eps {config['vision_config']['layer_norm_eps']}: "
          f"{'same ids' if plain == expected['authors_beam5'] else 'different ids'}")
    assert patched == expected["authors_beam5"]


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
