#!/usr/bin/env python3
"""Greedy golden tokens from llama.cpp (through PyPI llama-cpp-python) for the engine tests.

For each prompt: tokenize exactly as llama.cpp does (its own add-BOS rule, special tokens not parsed),
evaluate the prompt, then repeatedly take the argmax of the last logits row and feed it back, N times
(stopping early at end-of-generation). Flash attention is off and the KV cache keeps llama.cpp's default
(F16), so the numbers are those of the plain llama.cpp CPU graph.

Usage:
  engine_goldens.py --model M.gguf --out golden.json [--tokens 32] [--prompt P ...] [--meta KEY=VALUE ...]
The output records the prompts, prompt token ids, generated token ids, the top-5 (id, logit) of the first step,
the llama-cpp-python version and any --meta pairs (e.g. the synth seed and parameters of a synthetic model).
"""
import argparse, hashlib, json, os, sys

import numpy as np
import llama_cpp

DEFAULT_PROMPTS = [
    "The capital of France is",
    "Once upon a time, in a small village,",
    "def fibonacci(n):",
    "The three primary colors are",
    "Water boils at a temperature of",
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tokens", type=int, default=32)
    ap.add_argument("--prompt", action="append")
    ap.add_argument("--prompt-ids", action="append", help="comma-separated token ids (bypasses the tokenizer)")
    ap.add_argument("--meta", action="append", default=[])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-model-hash", action="store_true")
    a = ap.parse_args()

    llm = llama_cpp.Llama(model_path=a.model, n_threads=a.threads, n_threads_batch=a.threads, n_ctx=512,
                          logits_all=False, flash_attn=False, verbose=False)
    n_vocab = llm.n_vocab()
    cases = []
    inputs = []
    for p in (a.prompt or ([] if a.prompt_ids else DEFAULT_PROMPTS)):
        inputs.append((p, llm.tokenize(p.encode("utf-8"), add_bos=True, special=False)))
    for ids in (a.prompt_ids or []):
        inputs.append((None, [int(t) for t in ids.split(",")]))
    for prompt, toks in inputs:
        llm.reset()
        llm.eval(toks)
        out, top5 = [], None
        for step in range(a.tokens):
            logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(n_vocab,)).copy()
            if step == 0:
                order = np.argsort(-logits, kind="stable")[:5]
                top5 = [[int(i), float(logits[i])] for i in order]
            t = int(np.argmax(logits))
            out.append(t)
            if llama_cpp.llama_vocab_is_eog(llm._model.vocab, t):
                break
            llm.eval([t])
        case = {"prompt_tokens": [int(t) for t in toks], "generated_tokens": out, "first_step_top5": top5}
        if prompt is not None:
            case["prompt"] = prompt
            case["generated_text"] = llm.detokenize(out).decode("utf-8", errors="replace")
        cases.append(case)
        print(f"{prompt!r}: {out}", file=sys.stderr)

    doc = {
        "generator": "Tests/scripts/engine_goldens.py",
        "llama_cpp_python": llama_cpp.__version__,
        "model_file": os.path.basename(a.model),
        "tokens": a.tokens,
        "threads": a.threads,
        "flash_attn": False,
        "meta": dict(kv.split("=", 1) for kv in a.meta),
        "cases": cases,
    }
    if not a.no_model_hash:
        doc["model_sha256"] = sha256(a.model)
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
