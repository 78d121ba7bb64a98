"""Byte-level BPE tokenizer trained on the caption corpus, saved in GPT-2/OPT layout.

Ids follow OPT: <s>=0, <pad>=1, </s>=2 (bos and eos, as OPT's tokenizer uses it), <unk>=3; `<image>` is an
added token placed right after the BPE vocabulary and becomes Blip2Config.image_token_index.
Generation stops at </s> (id 2): our captions contain no newline, so the "\n" convention of the
published Exp-BLIP (eos 50118) would have nothing to stop on.
"""
import json
import os

from tokenizers import ByteLevelBPETokenizer

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]
BOS = EOS = 2
PAD = 1
IMAGE_TOKEN = "<image>"


class CaptionTokenizer:
    def __init__(self, folder):
        self.bpe = ByteLevelBPETokenizer(os.path.join(folder, "vocab.json"), os.path.join(folder, "merges.txt"))
        self.base_size = self.bpe.get_vocab_size()
        self.image_id = self.base_size
        self.vocab_size = self.base_size + 1

    def encode(self, text):
        """Caption ids without bos/eos."""
        return self.bpe.encode(text).ids

    def decode(self, ids):
        ids = [i for i in ids if i > 3 and i != self.image_id]
        return self.bpe.decode(ids).strip()


def train(corpus, folder, vocab_size=1200):
    os.makedirs(folder, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus, vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIALS)
    bpe.save_model(folder)
    tok = CaptionTokenizer(folder)
    assert [tok.bpe.token_to_id(s) for s in SPECIALS] == [0, 1, 2, 3]
    return tok


def write_hf_files(folder, tok):
    """tokenizer_config / special_tokens_map / added_tokens for transformers' GPT2Tokenizer."""
    added = {IMAGE_TOKEN: tok.image_id}
    with open(os.path.join(folder, "added_tokens.json"), "w") as f:
        json.dump(added, f)
    special = {"bos_token": "</s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
    with open(os.path.join(folder, "special_tokens_map.json"), "w") as f:
        json.dump(special, f, indent=1)
    cfg = dict(special, tokenizer_class="GPT2Tokenizer", add_bos_token=True, add_prefix_space=False,
               model_max_length=128, errors="replace",
               added_tokens_decoder={str(i): {"content": s, "lstrip": False, "normalized": False, "rstrip": False,
                                              "single_word": False, "special": True}
                                     for i, s in list(enumerate(SPECIALS)) + [(tok.image_id, IMAGE_TOKEN)]},
               extra_special_tokens={"image_token": IMAGE_TOKEN})
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
