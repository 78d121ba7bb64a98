"""Reassemble full HF models from Models/<Name>/ + Models/_language-model/ and check they caption like the
training-time models (Training/work/reference_captions.json, written by build_demo_pack.py in F16-rounded form).

Usage: python3 Training/export_check.py [Models] [Training/work/reference_captions.json]
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file
from transformers import AutoTokenizer, Blip2Config, Blip2ForConditionalGeneration, GenerationConfig

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tokenizer_build import CaptionTokenizer  # noqa: E402
from train_lib import caption  # noqa: E402


def load_pair(models, name):
    folder = os.path.join(models, name)
    with open(os.path.join(folder, "facecap.json")) as f:
        lm_folder = os.path.normpath(os.path.join(folder, json.load(f)["language_model"]))
    cfg = Blip2Config.from_json_file(os.path.join(folder, "config.json"))
    model = Blip2ForConditionalGeneration(cfg)
    sd = load_file(os.path.join(folder, "model.safetensors"))
    sd.update(load_file(os.path.join(lm_folder, "model.safetensors")))
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=False)
    missing = [k for k in missing if k != "language_model.lm_head.weight"]  # tied to embed_tokens
    assert not missing and not unexpected, (missing, unexpected)
    model.tie_weights()
    assert torch.equal(model.language_model.lm_head.weight, model.language_model.model.decoder.embed_tokens.weight)
    model.generation_config = GenerationConfig.from_pretrained(folder)
    return model.eval(), folder


def main(models=os.path.join(HERE, "..", "Models"), ref=os.path.join(HERE, "work", "reference_captions.json")):
    with open(ref) as f:
        reference = json.load(f)
    images = np.stack([np.asarray(Image.open(os.path.join(HERE, "..", p)).convert("RGB")) for p in reference["images"]])
    ok = True
    for name, expected in reference["captions"].items():
        model, folder = load_pair(models, name)
        tok = CaptionTokenizer(folder)
        got = caption(model, tok, images)
        same = sum(a == b for a, b in zip(got, expected))
        print(f"{name}: {same}/{len(expected)} captions identical")
        for a, b in zip(got, expected):
            if a != b:
                print(f"  export: {a}\n  train : {b}")
        ok &= same == len(expected)
        hf = AutoTokenizer.from_pretrained(folder)
        text = expected[0]
        ours = [2] + tok.encode(text)
        theirs = hf(text)["input_ids"]
        print(f"  transformers tokenizer ids match ours: {theirs == ours}; <image> id {hf.convert_tokens_to_ids('<image>')}"
              f" == image_token_index {model.config.image_token_index}")
        ok &= theirs == ours and hf.convert_tokens_to_ids("<image>") == model.config.image_token_index
    print("EXPORT CHECK", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
