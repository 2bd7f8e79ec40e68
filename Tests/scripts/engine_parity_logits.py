#!/usr/bin/env python3
"""llama.cpp's logits after each golden prompt and after each golden token (teacher forcing), as raw f32 files
DIR/llama_<case>.f32, to compare with the engine's (SmolLMParityProbe). Usage: engine_parity_logits.py MODEL GOLDEN DIR"""
import json, sys
import numpy as np
import llama_cpp

model, golden, out = sys.argv[1:4]
g = json.load(open(golden))
llm = llama_cpp.Llama(model_path=model, n_threads=2, n_threads_batch=2, n_ctx=512, logits_all=False,
                      flash_attn=False, verbose=False)
nv = llm.n_vocab()
for ci, c in enumerate(g["cases"]):
    llm.reset()
    llm.eval(c["prompt_tokens"])
    rows = [np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(nv,)).copy()]
    for t in c["generated_tokens"][:-1]:
        llm.eval([t])
        rows.append(np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(nv,)).copy())
    np.stack(rows).astype(np.float32).tofile(f"{out}/llama_{ci}.f32")
