#!/usr/bin/env python3
"""Generate tokenizer goldens with llama.cpp (PyPI llama-cpp-python) for the Tokenizers tests.

For each vocabulary (SmolLM2-135M-Instruct, pre "smollm"; ggml-vocab-llama-bpe, the BitNet b1.58
2B-4T vocabulary; ggml-vocab-gpt-2 with tokenizer.ggml.pre removed, llama.cpp's "default";
ggml-vocab-llama-spm, SentencePiece; gpt-neox, aquila and baichuan, which have no test vectors) it records, for a set of varied texts, llama.cpp's token ids with and without
add_special / parse_special, and the bytes of every token (llama_token_to_piece, special off/on).

Usage (global python3 with llama_cpp):
  python3 Tests/scripts/tokenizers_goldens.py TESTDATA_DIR > Tests/TokenizersTests/Resources/tokenizers_goldens.json
"""
import ctypes
import json
import os
import subprocess
import sys
import tempfile

import llama_cpp

COMMON = [
    "Hello world",
    " Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "I'm sure you'll see they've done it, isn't it? We'D SAY YOU'RE RIGHT",
    "def add(a, b):\n    return a + b\n\nprint(add(2, 3))  # 5\n",
    "for (int i = 0; i < n; ++i) { sum += x[i] * 0.5f; }",
    "3.14159 1234567890 12,345,678 1e-10 0x1F ½ ² Ⅻ",
    "Grüße aus München! Ça va? ¿Qué tal? Ελληνικά Русский текст",
    "日本語のテキストと中文文本，还有한국어 텍스트。",
    "emoji: 🦙🚀 👩‍👩‍👧 ❤️ flags 🇫🇷",
    "   leading spaces, trailing spaces   ",
    "tabs\tand\t\tnewlines\n\n\nand\r\nCRLF \n \n",
    "a  b   c    d     e",
    "\u00a0non-breaking\u2003em-space\u3000ideographic",
    "combining: e\u0301 a\u0308 n\u0303 — dashes – and “quotes” ‘single’",
    "Wait , what ? No ! Yes . It 's fine , they 've said ' so ' and we 're done 'm 'll 'd 't",
    "",
]


def random_texts(seed, count=24):
    """Deterministic random strings over a pool that exercises every character class."""
    import random
    rng = random.Random(seed)
    pool = (list("abcXYZ  '\"sStTmMdDreRElLvV") + list("0123456789") + list("!?.,;:-_()[]{}<>/\\|$+=^~`@#%&*")
            + ["\n", "\r", "\t", "\u000b", "\u00a0", "\u2028", "\u3000", "\u0301", "\u0308", "ä", "ß", "é",
               "½", "²", "Ⅻ", "٣", "α", "Ж", "日", "本", "한", "😀", "🦙", "€", "©", "—", "“", "…"])
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 40))) for _ in range(count)]


VOCABS = [
    {
        "name": "smollm2",
        "path": "models/SmolLM2-135M-Instruct.Q4_1.gguf",
        "texts": COMMON + random_texts(1) + [
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
            "text with <|endoftext|> inside",
        ],
    },
    {
        # the gpt-2 vocabulary with tokenizer.ggml.pre removed: llama.cpp's "default" pre-tokenizer
        "name": "gpt-2-without-pre",
        "path": "vocab/ggml-vocab-gpt-2.gguf",
        "remove_pre": True,
        "texts": COMMON + random_texts(2) + [
            "a+=b; x^y|z~w $5 <html> `code` 1234567 12345 ½²³ ١٢٣ §¶ «quoted» ...!!!",
            "if (a != b && c <= d) { return e->f[0] % 3; }",
        ],
    },
    {
        "name": "llama-spm",
        "path": "vocab/ggml-vocab-llama-spm.gguf",
        "texts": COMMON + random_texts(4) + ["<s>[INST] Hello [/INST] Hi</s><s>[INST] again [/INST]"],
    },
    # vocabularies without llama.cpp test vectors: gpt-neox and aquila have no tokenizer.ggml.pre
    # (llama.cpp's "default"), baichuan is SentencePiece
    {"name": "gpt-neox", "path": "vocab/ggml-vocab-gpt-neox.gguf", "texts": COMMON + random_texts(5)},
    {"name": "aquila", "path": "vocab/ggml-vocab-aquila.gguf", "texts": COMMON + random_texts(6)},
    {"name": "baichuan", "path": "vocab/ggml-vocab-baichuan.gguf", "texts": COMMON + random_texts(7)},
    {
        "name": "llama-bpe",
        "path": "vocab/ggml-vocab-llama-bpe.gguf",
        "texts": COMMON + random_texts(3) + [
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHow many legs does a spider have?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
            "User: Explain BitNet b1.58 in one sentence.\n\nAssistant:",
            "System: You are a concise assistant.\nUser: Write a haiku about ternary weights.\nAssistant:",
        ],
    },
]


def piece(vocab, token, special):
    buf = ctypes.create_string_buffer(512)
    n = llama_cpp.llama_token_to_piece(vocab, token, buf, 512, 0, special)
    assert 0 <= n <= 512
    return buf.raw[:n].hex()


def detokenize(vocab, tokens, remove_special, unparse_special):
    arr = (llama_cpp.llama_token * max(1, len(tokens)))(*tokens)
    size = 4096
    buf = ctypes.create_string_buffer(size)
    n = llama_cpp.llama_detokenize(vocab, arr, len(tokens), buf, size, remove_special, unparse_special)
    assert 0 <= n <= size
    return buf.raw[:n].hex()


def main():
    root = sys.argv[1]
    out = {"generator": "llama-cpp-python " + llama_cpp.__version__, "vocabs": []}
    tmp = tempfile.mkdtemp()
    for v in VOCABS:
        path = os.path.join(root, v["path"])
        if v.get("remove_pre"):
            stripped = os.path.join(tmp, "no-pre.gguf")
            subprocess.run([sys.executable, "-m", "gguf.scripts.gguf_new_metadata", "--force",
                            "--remove-metadata", "tokenizer.ggml.pre", path, stripped],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            path = stripped
        llm = llama_cpp.Llama(model_path=path, vocab_only=True, verbose=False)
        vocab = llama_cpp.llama_model_get_vocab(llm.model)
        cases = []
        seen = set()
        for text in v["texts"]:
            b = text.encode("utf-8")
            case = {
                "text": text,
                "plain": llm.tokenize(b, add_bos=False, special=False),
                "special": llm.tokenize(b, add_bos=True, special=True),
            }
            case["plain_text"] = detokenize(vocab, case["plain"], False, False)
            case["special_text"] = detokenize(vocab, case["special"], True, True)
            cases.append(case)
            seen.update(case["plain"])
            seen.update(case["special"])
        pieces = {str(t): [piece(vocab, t, False), piece(vocab, t, True)] for t in sorted(seen)}
        out["vocabs"].append({"name": v["name"], "path": v["path"], "remove_pre": bool(v.get("remove_pre")),
                              "cases": cases, "pieces": pieces})
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
