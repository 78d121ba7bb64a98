"""Export in the layout facecap's engine loads (Models/<Name>/ + shared Models/_language-model/)."""
import json
import os
import shutil

import torch
from safetensors.torch import save_file

from train_lib import MEAN, STD

CAPTIONER_PREFIXES = ("vision_model.", "query_tokens", "qformer.", "language_projection.")


def generation_config(max_new_tokens):
    return {"num_beams": 5, "max_new_tokens": max_new_tokens, "length_penalty": 1.0, "repetition_penalty": 1.0,
            "do_sample": False, "min_length": 0, "bos_token_id": 2, "eos_token_id": 2, "pad_token_id": 1}


def preprocessor_config(size):
    return {"image_processor_type": "BlipImageProcessor", "do_resize": True, "size": {"height": size, "width": size},
            "resample": 3, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
            "image_mean": MEAN.flatten().tolist(), "image_std": STD.flatten().tolist(), "do_convert_rgb": True}


def export_captioner(model, folder, tok_folder, max_new_tokens):
    os.makedirs(folder, exist_ok=True)
    sd = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()
          if k.startswith(CAPTIONER_PREFIXES)}
    save_file(sd, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    model.config.to_json_file(os.path.join(folder, "config.json"))
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump(generation_config(max_new_tokens), f, indent=1)
    with open(os.path.join(folder, "preprocessor_config.json"), "w") as f:
        json.dump(preprocessor_config(model.config.vision_config.image_size), f, indent=1)
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"):
        shutil.copy(os.path.join(tok_folder, name), os.path.join(folder, name))
    with open(os.path.join(folder, "facecap.json"), "w") as f:
        json.dump({"language_model": "../_language-model"}, f)


def export_language_model(model, folder):
    """The frozen OPT, once, under the names a full Blip2ForConditionalGeneration checkpoint uses."""
    os.makedirs(folder, exist_ok=True)
    sd = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()
          if k.startswith("language_model.model.decoder.")}
    if not model.config.text_config.tie_word_embeddings:
        sd["language_model.lm_head.weight"] = model.language_model.lm_head.weight.detach().half()
    save_file(sd, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    model.config.text_config.to_json_file(os.path.join(folder, "config.json"))
