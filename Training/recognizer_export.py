"""The recognizer's model folder (what `facecap recognize --model DIR` and the explorer load).

  config.json        {"model_type": "dfer-clip", vision/text/temporal sizes, n_ctx, classes, descriptors}
  model.safetensors  DFER-CLIP's state-dict names (as in its released checkpoints, without `module.`):
                     image_encoder.*, text_encoder.*, temporal_net.*, prompt_learner.ctx and
                     clip_model_.token_embedding.weight. The prompt learner's token_prefix/token_suffix
                     buffers are not stored: facecap rebuilds them from the descriptors with the
                     tokenizer, so the descriptors in config.json are the single source of the text side.
  vocab.json, merges.txt   the CLIP tokenizer's files
"""
import json
import os
import shutil

import torch
from safetensors.torch import save_file

STORED_PREFIXES = ("image_encoder.", "text_encoder.", "temporal_net.", "prompt_learner.ctx",
                   "clip_model_.token_embedding.")


def folder_state_dict(model, dtype):
    return {k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items() if k.startswith(STORED_PREFIXES)}


def export(model, config, vocab_folder, folder, dtype=torch.float16):
    os.makedirs(folder, exist_ok=True)
    save_file(folder_state_dict(model, dtype), os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    for name in ("vocab.json", "merges.txt"):
        shutil.copyfile(os.path.join(vocab_folder, name), os.path.join(folder, name))


def save_released_layout(model, path, epoch=1, best_acc=0.0):
    """A `torch.save` dict shaped like DFER-CLIP's released checkpoints: `state_dict` with DataParallel's
    `module.` prefix (prompt buffers and the `clip_model_` duplicates included), `epoch`, `best_acc`,
    `optimizer` (an SGD state dict) and a pickled recorder object."""
    state = {"module." + k: v for k, v in model.state_dict().items()}
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    torch.save({"epoch": epoch, "state_dict": state, "best_acc": torch.tensor(best_acc),
                "optimizer": optimizer.state_dict(), "recorder": RecorderMeter(epoch)}, path)


class RecorderMeter:
    """Stands in for DFER-CLIP's pickled RecorderMeter (a plain object with numpy arrays)."""

    def __init__(self, total_epoch):
        import numpy as np
        self.total_epoch = total_epoch
        self.current_epoch = 0
        self.epoch_losses = np.zeros((total_epoch, 2), dtype=np.float32)
        self.epoch_accuracy = np.zeros((total_epoch, 2), dtype=np.float32)
