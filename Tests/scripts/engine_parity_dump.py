#!/usr/bin/env python3
"""Dump llama.cpp's named intermediate tensors (ggml eval callback) for a prompt, to find where the engine and
llama.cpp first differ (how the llama.cpp parity of docs/engine.md was established).

Usage: engine_parity_dump.py MODEL OUT.npz --tokens 1,2,3 [--decode 4,5] [--names attn_norm,Qcur,kqv_out,ffn_out,l_out]
Writes one array per phase and tensor, keyed "prefill/Qcur-0", "decode0/Qcur-0", ... (F32 tensors only; a name
reused inside a layer keeps its last value, e.g. Qcur after RoPE). Flash attention off, F16 KV cache, 2 threads,
n_ctx 512: the settings of engine_goldens.py.
"""
import argparse, ctypes
import numpy as np
import llama_cpp


class Tensor(ctypes.Structure):  # the head of struct ggml_tensor (ggml.h), up to the name
    _fields_ = [("type", ctypes.c_int32), ("buffer", ctypes.c_void_p), ("ne", ctypes.c_int64 * 4),
                ("nb", ctypes.c_size_t * 4), ("op", ctypes.c_int32), ("op_params", ctypes.c_int32 * 16),
                ("flags", ctypes.c_int32), ("src", ctypes.c_void_p * 10), ("view_src", ctypes.c_void_p),
                ("view_offs", ctypes.c_size_t), ("data", ctypes.c_void_p), ("name", ctypes.c_char * 64)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--decode", default="")
    ap.add_argument("--names", default="attn_norm,Qcur,Kcur,Vcur,kqv_out,ffn_inp,ffn_norm,ffn_out,l_out,result_norm")
    a = ap.parse_args()
    want = set(a.names.split(","))
    phase, dumps = ["prefill"], {}

    def cb(t, ask, _):
        tt = ctypes.cast(t, ctypes.POINTER(Tensor)).contents
        name = tt.name.decode()
        if ask:
            return name.rsplit("-", 1)[0] in want
        if tt.type == 0:  # GGML_TYPE_F32; views are read through their strides
            ne, nb = list(tt.ne), list(tt.nb)
            size = max((ne[i] - 1) * nb[i] for i in range(4)) + 4
            buf = np.frombuffer((ctypes.c_char * size).from_address(tt.data), dtype=np.float32)
            dumps[f"{phase[0]}/{name}"] = np.lib.stride_tricks.as_strided(buf, ne[::-1], nb[::-1]).copy()
        return True

    cbf = llama_cpp.ggml_backend_sched_eval_callback(cb)
    default_params = llama_cpp.llama_context_default_params

    def with_callback():
        p = default_params()
        p.cb_eval = cbf
        return p

    llama_cpp.llama_context_default_params = with_callback
    llama_cpp.llama.llama_cpp.llama_context_default_params = with_callback
    llm = llama_cpp.Llama(model_path=a.model, n_threads=2, n_threads_batch=2, n_ctx=512, logits_all=False,
                          flash_attn=False, verbose=False)
    llm.eval([int(t) for t in a.tokens.split(",")])
    for i, t in enumerate(x for x in a.decode.split(",") if x):
        phase[0] = f"decode{i}"
        llm.eval([int(t)])
    np.savez(a.out, **dumps)
    print(f"{len(dumps)} tensors -> {a.out}")


if __name__ == "__main__":
    main()
