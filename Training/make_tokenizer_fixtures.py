#!/usr/bin/env python3
"""Builds the tokenizer test fixtures in Tests/Fixtures/tokenizer/ from an independent reference.

The Swift BPETokenizer is checked against Hugging Face `tokenizers` + `transformers` (the fast,
Rust-backed tokenizer that transformers 5.x uses for GPT-2/OPT). This script:

1. trains a small byte-level BPE (~500 tokens) on a built-in multilingual corpus with `tokenizers`,
   with OPT's special-token layout: `<s>`=0, `<pad>`=1, `</s>`=2 (bos/eos/unk), `<unk>`=3;
2. wraps it in transformers' GPT2Tokenizer with add_bos_token=True plus an `<image>` added token
   (as BLIP-2 does) and writes two directories:
     opt-like/     the file layout Salesforce/blip2-opt-2.7b ships (vocab.json, merges.txt,
                   tokenizer.json, tokenizer_config.json, special_tokens_map.json, added_tokens.json)
     opt-like-v5/  exactly what transformers 5.x `save_pretrained` writes (tokenizer.json and
                   tokenizer_config.json only)
   and a third tokenizer, flags-v5/, whose extra added tokens use lstrip/rstrip/single_word/
   normalized so those code paths are compared too;
3. records HF encodings/decodings of tricky and seeded-random strings in cases.json;
4. probes the ByteLevel pre-tokenizer for every code point to record which of the regex classes
   (\\p{L}, \\p{N}, \\s, other) it puts each scalar in (scalar_classes.json).

Run from the repository root:  python3 Training/make_tokenizer_fixtures.py
Requires: tokenizers, transformers (tested with tokenizers 0.23.3, transformers 5.23.0).
"""
import json
import os
import random
import shutil
import sys

import tokenizers
import transformers
from tokenizers import ByteLevelBPETokenizer, pre_tokenizers
from transformers import AddedToken, AutoTokenizer, GPT2Tokenizer
from transformers.convert_slow_tokenizer import bytes_to_unicode

transformers.logging.set_verbosity_error()

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "tokenizer")

CORPUS = """
A young woman smiles broadly, her eyes crinkling with happiness.
The man frowns; his brows are drawn together and his lips pressed tight.
She looks surprised: eyebrows raised, mouth open, eyes wide.
He seems sad, with downturned lips and a distant gaze. Don't we'll I'm it's they've you're he'd.
The child laughs out loud!!! What a joyful, happy face... Is it fear? Or disgust?
Café naïve résumé façade coöperate über straße Ångström niño São Paulo Zürich.
In 2023 there were 12345 images, 678 of them labelled 'neutral' and 90 'angry'.
表情 识别 是 计算机 视觉 的 一个 重要 任务 。 笑脸 哭脸 惊讶 。 日本語 の 表情 認識 。
얼굴 표정 인식 행복 슬픔 분노 놀람 두려움 혐오
Эмоции лица: радость, грусть, гнев, удивление, страх и отвращение.
تعبيرات الوجه: السعادة والحزن والغضب والمفاجأة والخوف والاشمئزاز
चेहरे के भाव: खुशी, दुख, गुस्सा, आश्चर्य
Emoji: 😀 😃 😄 😁 😆 😢 😭 😡 😱 👍 👍🏽 👩‍💻 👨‍👩‍👧 ❤️ 🙂
\tTabs\tand\nnewlines\r\nand   multiple    spaces   end.
"""


def train_base(workdir):
    trainer_input = [line for line in CORPUS.splitlines() if line.strip()] * 20
    bpe = ByteLevelBPETokenizer(add_prefix_space=False)
    bpe.train_from_iterator(trainer_input, vocab_size=500, min_frequency=2,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>"])
    bpe.save_model(workdir)
    return os.path.join(workdir, "vocab.json"), os.path.join(workdir, "merges.txt")


def opt_like(vocab_file, merges_file):
    tok = GPT2Tokenizer(vocab=vocab_file, merges=merges_file, bos_token="</s>", eos_token="</s>",
                        unk_token="</s>", pad_token="<pad>", add_bos_token=True, add_prefix_space=False)
    tok.add_tokens([AddedToken("<image>", normalized=False, special=True)], special_tokens=True)
    return tok


def flags_like(vocab_file, merges_file):
    tok = opt_like(vocab_file, merges_file)
    tok.add_tokens([
        AddedToken("<mask>", lstrip=True, normalized=False, special=True),
        AddedToken("<sep>", rstrip=True, normalized=False, special=True),
        AddedToken("[both]", lstrip=True, rstrip=True, normalized=False, special=True),
        AddedToken("cat", single_word=True, normalized=False, special=False),
        AddedToken("smiling face", normalized=True, special=False),
        AddedToken("face", normalized=False, special=False),
        AddedToken("<ima", normalized=True, special=False),
    ])
    return tok


def write_json(path, obj, indent=2):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def added_token_dict(token):
    return {"content": token.content, "lstrip": token.lstrip, "normalized": token.normalized,
            "rstrip": token.rstrip, "single_word": token.single_word, "special": token.special}


def write_salesforce_layout(tok, vocab_file, merges_file, directory):
    """The six files Salesforce/blip2-opt-2.7b ships, as transformers 4.x wrote them."""
    tok.save_pretrained(directory)  # tokenizer.json + tokenizer_config.json
    shutil.copy(vocab_file, os.path.join(directory, "vocab.json"))
    shutil.copy(merges_file, os.path.join(directory, "merges.txt"))
    decoder = tok.added_tokens_decoder
    base = json.load(open(vocab_file, encoding="utf-8"))
    write_json(os.path.join(directory, "added_tokens.json"),
               {t.content: i for i, t in sorted(decoder.items()) if t.content not in base})
    named = {"bos_token": "</s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "</s>"}
    by_content = {t.content: t for t in decoder.values()}
    special_map = {}
    for key, content in named.items():
        d = added_token_dict(by_content[content])
        d.pop("special")
        special_map[key] = d
    write_json(os.path.join(directory, "special_tokens_map.json"), special_map)
    config = json.load(open(os.path.join(directory, "tokenizer_config.json"), encoding="utf-8"))
    config.pop("backend", None)
    config.update({
        "add_bos_token": True,
        "added_tokens_decoder": {str(i): added_token_dict(t) for i, t in sorted(decoder.items())},
        "clean_up_tokenization_spaces": True,
        "processor_class": "Blip2Processor",
    })
    write_json(os.path.join(directory, "tokenizer_config.json"), config)


TRICKY = [
    "", " ", "  ", "   ", "a", "Hello world", " Hello world", "Hello world ", "  Hello   world  ",
    "\n", "\n\n", "\r\n", "line one\nline two\n\nline four", "a\r\nb", "\ttab\tseparated\t", " \t \n ",
    "a \n b", "2023 12345", "1234567890", "3.14159 and -42", "!!!", "Wait... what?!?", "(a)[b]{c}<d>",
    "don't we'll I'M it's", "'s 're 've 'm 'll 'd", "rock'n'roll", " 'quoted' ", "café naïve",
    "cafe\u0301 nai\u0308ve", "表情", "日本語の表情認識", "👍🏽", "👩‍💻 and 👨‍👩‍👧", "❤️🙂",
    "تعبيرات الوجه", "Mixed: English, русский, 中文, العربية, हिन्दी 123",
    "a\u00a0b\u3000c\u2028d\u0085e", "x\u200by\ufeffz", "<image>", "a <image> b", "<image><image></s>",
    "text</s>more", "</s> leading", "trailing </s>", "<pad><s><unk>", "< image>", "<image", "image>",
    "supercalifragilisticexpialidocious" * 4, "The man frowns; his brows are drawn together.",
    "A young woman smiles broadly, her eyes crinkling with happiness.\n",
]

FLAG_CASES = [
    "a <mask> b", "a   <mask>b", "<mask>", "  <mask>  ", "x<sep>  y", "x <sep>\n\ny", "<sep>",
    "a  [both]  b", "[both][both]", " [both] ", "cat", "a cat b", "concatenate", "cat's", "1cat", "the cat.",
    "smiling face", "a smiling faces", "face", "surface", "<image>", "<ima", "<imag", "a<mask><mask>b",
    "</s> <mask> </s>", "\u3000<mask>\u3000", "cat\u00a0cat",
]

POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    "      \t\n\r",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "'s't're've'm'll'd'S'T",
    "éèêëàâäôöûüçñßÅåøæœÉÀ¡¿«»§°±µ¶·×÷",
    "\u0300\u0301\u0302\u0308\u0327\u20dd",
    "表情识别计算机视觉日本語笑顔",
    "😀😢😡👍👩💻👨👧🏽🏿\u200d\ufe0f❤",
    "السعادةوالحزن٠١٢٣",
    "эмоцийЛица",
    "खुशीदु",
    "\u00a0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000\u0085\u000b\u000c\u180e\u200b\ufeff\u001c\u001f",
    "²³¹¼½Ⅻ①⑩",
]
TOKEN_FRAGMENTS = ["<image>", "</s>", "<pad>", "<s>", "<unk>", "<image", "image>", " <image> "]


def random_char(rng):
    r = rng.random()
    if r < 0.08:
        while True:  # any scalar value, assigned or not, new Unicode versions included
            cp = rng.randrange(0x110000)
            if not 0xD800 <= cp <= 0xDFFF:
                return chr(cp)
    if r < 0.12:
        return rng.choice(TOKEN_FRAGMENTS)
    return rng.choice(rng.choice(POOLS))


def random_strings(rng, count):
    out = []
    for _ in range(count):
        n = rng.choice([1, 2, 3, 5, 8, 13, 21, 40])
        out.append("".join(random_char(rng) for _ in range(n)))
    return out


def encode_cases(tok, texts):
    cases = []
    for text in texts:
        ids = tok(text).input_ids
        bare = tok(text, add_special_tokens=False).input_ids
        cases.append({
            "text": text,
            "ids": ids,
            "ids_no_special": bare,
            "decoded": tok.decode(ids, skip_special_tokens=True),
            "decoded_with_special": tok.decode(ids, skip_special_tokens=False),
        })
    return cases


def byte_token_id(tok, byte):
    """Id of the single-byte token for `byte`, looked up through transformers' own GPT-2 byte table
    (the Swift side computes its table independently)."""
    return tok.convert_tokens_to_ids(bytes_to_unicode()[byte])


def decode_cases(tok, rng):
    vocab_size = len(tok)
    invalid_utf8 = [
        [0x80], [0xBF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF], [0x61, 0x80, 0x62], [0xE2, 0x28, 0xA1], [0xF4, 0x90, 0x80, 0x80],
        [0xF0, 0x9F, 0x98, 0x80, 0x80], [0xC3, 0xA9, 0xA9], [0xE6, 0x97, 0x41],
    ]
    cases = []
    for seq in invalid_utf8:
        ids = [byte_token_id(tok, b) for b in seq]
        assert all(isinstance(i, int) and i >= 0 for i in ids), seq
        cases.append({"ids": ids, "bytes": seq})
    for _ in range(150):
        n = rng.choice([1, 2, 3, 4, 6, 10, 20])
        cases.append({"ids": [rng.randrange(vocab_size) for _ in range(n)]})
    cases.append({"ids": [0, 1, 2, 3, 4, vocab_size - 1, 2, 1]})
    cases.append({"ids": [vocab_size + 5, 40, 99999, 41]})  # unknown ids are dropped
    for case in cases:
        case["skip_special"] = tok.decode(case["ids"], skip_special_tokens=True)
        case["with_special"] = tok.decode(case["ids"], skip_special_tokens=False)
    return cases


def check_reload(tok, directory, texts):
    """The saved directory must tokenize exactly like the in-memory tokenizer."""
    reloaded = AutoTokenizer.from_pretrained(directory)
    for text in texts:
        a, b = tok(text).input_ids, reloaded(text).input_ids
        if a != b:
            sys.exit(f"{directory}: reload mismatch for {text!r}: {a} vs {b}")


def scalar_classes():
    """Runs of code points by the class the ByteLevel regex gives them: L, N, S (\\s) or P (other)."""
    pt = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)

    def pieces(s):
        return len(pt.pre_tokenize_str(s))

    runs = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # not Unicode scalar values
        c = chr(cp)
        if pieces("a" + c) == 1:
            k = "L"   # joins a letter run: ' ?\p{L}+'
        elif pieces("1" + c) == 1:
            k = "N"   # joins a number run
        elif pieces("!" + c) == 1:
            k = "P"   # joins a run of '[^\s\p{L}\p{N}]'
        else:
            k = "S"
        if runs and runs[-1][2] == k and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, k])
    return runs


def main():
    rng = random.Random(20240521)
    os.makedirs(OUT, exist_ok=True)
    work = os.path.join(OUT, ".work")
    os.makedirs(work, exist_ok=True)
    vocab_file, merges_file = train_base(work)

    opt = opt_like(vocab_file, merges_file)
    flags = flags_like(vocab_file, merges_file)
    dirs = {name: os.path.join(OUT, name) for name in ["opt-like", "opt-like-v5", "flags-v5"]}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    write_salesforce_layout(opt, vocab_file, merges_file, dirs["opt-like"])
    opt.save_pretrained(dirs["opt-like-v5"])
    flags.save_pretrained(dirs["flags-v5"])
    shutil.rmtree(work)

    randoms = random_strings(rng, 300)
    opt_texts = TRICKY + randoms
    flag_texts = FLAG_CASES + TRICKY + random_strings(rng, 100)
    check_reload(opt, dirs["opt-like"], opt_texts)
    check_reload(opt, dirs["opt-like-v5"], opt_texts)
    check_reload(flags, dirs["flags-v5"], flag_texts)

    cases = {
        "generator": {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__},
        "opt": {"vocab_size": len(opt), "encode": encode_cases(opt, opt_texts), "decode": decode_cases(opt, rng)},
        "flags": {"vocab_size": len(flags), "encode": encode_cases(flags, flag_texts)},
    }
    write_json(os.path.join(OUT, "cases.json"), cases, indent=1)
    write_json(os.path.join(OUT, "scalar_classes.json"), scalar_classes(), indent=None)
    print(f"wrote {OUT}: {len(opt_texts)} opt cases, {len(flag_texts)} flag cases, vocab {len(opt)}")


if __name__ == "__main__":
    main()
