"""A small BPE vocabulary in OpenAI CLIP's file format (vocab.json + merges.txt), trained with `tokenizers`.

CLIP's files are laid out in a fixed order that its tokenizer relies on: the 256 byte-level characters
(GPT-2's bytes_to_unicode order), the same 256 with the word-end marker `</w>`, one token per merge in
merge order, then `<|startoftext|>` and `<|endoftext|>`. EOT is therefore the largest id, which is how
CLIP finds the EOT position (argmax of the ids). No CLIP vocabulary can be downloaded here, so the
recognizer fixtures and the demo recognizer use one of these; transformers' `CLIPTokenizer` reads it as it
reads OpenAI's.
"""
import json
import os

from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, trainers

SOT, EOT = "<|startoftext|>", "<|endoftext|>"
# CLIP's pre-tokenization pattern (lower-cased text), as in its simple_tokenizer.py and tokenizers' CLIP setup.
PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""


def byte_alphabet() -> list[tuple[int, str]]:
    """GPT-2's byte-level alphabet: (byte, the printable character standing for it), in the order CLIP lists them."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [(b, chr(c)) for b, c in zip(bs, cs)]


def bytes_to_unicode():
    return [ch for _, ch in byte_alphabet()]


def build(folder, corpus, vocab_size=600):
    """Trains merges on `corpus` (strings) and writes vocab.json + merges.txt in CLIP's layout."""
    os.makedirs(folder, exist_ok=True)
    alphabet = bytes_to_unicode()
    tok = Tokenizer(models.BPE(end_of_word_suffix="</w>"))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "),
                                           normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(PATTERN), behavior="removed", invert=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False)])
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, initial_alphabet=alphabet,
                                  end_of_word_suffix="</w>", show_progress=False)
    tok.train_from_iterator(corpus, trainer)
    merges = json.loads(tok.to_str())["model"]["merges"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in merges]
    vocab = alphabet + [c + "</w>" for c in alphabet]
    seen = set(vocab)
    kept = []
    for a, b in merges:
        if a not in seen or b not in seen or a + b in seen:
            continue
        kept.append((a, b))
        vocab.append(a + b)
        seen.add(a + b)
    vocab += [SOT, EOT]
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({t: i for i, t in enumerate(vocab)}, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in kept:
            f.write(f"{a} {b}\n")
    return len(vocab)


def load(folder):
    """transformers' CLIPTokenizer on the folder (the reference the Swift tokenizer is checked against)."""
    from transformers import CLIPTokenizer
    return CLIPTokenizer(os.path.join(folder, "vocab.json"), os.path.join(folder, "merges.txt"))
