#!/usr/bin/env python3
"""Independent reference forward pass (numpy, float64) of a small GGUF model, for the engine tests.

Reads the file with the PyPI `gguf` package, dequantizes every weight with gguf's own numpy codecs
(gguf.quants.dequantize; I2_S is decoded here from its documented layout), and runs the graph of
docs/engine.md in float64: RMSNorm, q/k/v (times optional `<name>.scale`), RoPE (NEOX for bitnet*, normal
for llama), causal grouped-query attention, optional sub-norms, act(gate)*up with SiLU or ReLU², tied or
separate output. Optionally it quantizes every ternary-matmul input per token to int8 the way bitnet.cpp does
(--int8-per-token), so the result is comparable with the engine's default numerics.

Usage: engine_reference.py MODEL.gguf --tokens 1,2,3 [--int8-per-token] [--i2s-interleave 128]
Prints JSON: {"logits": [...last position...], "argmax": id}
"""
import argparse, json, sys

import numpy as np
import gguf
from gguf import GGUFReader
from gguf.quants import dequantize

I2_S = 36


def field(r, key, default=None):
    f = r.fields.get(key)
    if f is None:
        return default
    v = f.contents()
    return v


def i2s_decode(raw, n, k):
    raw = np.frombuffer(bytes(raw), dtype=np.uint8)
    q = k // 4
    codes = raw[: n // 4].reshape(-1, q)
    out = np.empty((codes.shape[0], 4, q), dtype=np.int8)
    for i, shift in enumerate((6, 4, 2, 0)):
        out[:, i, :] = ((codes >> shift) & 3).astype(np.int8) - 1
    scale = np.frombuffer(raw[n // 4: n // 4 + 4].tobytes(), dtype=np.float32)[0]
    return out.reshape(-1).astype(np.float64) * float(scale)


def load_weights(r, interleave):
    w = {}
    for t in r.tensors:
        dims = [int(d) for d in t.shape]
        n = int(np.prod(dims))
        if int(t.tensor_type) == I2_S:
            a = i2s_decode(t.data, n, interleave)
        else:
            a = np.asarray(dequantize(t.data, t.tensor_type), dtype=np.float64).reshape(-1)
        w[t.name] = a.reshape(list(reversed(dims))) if len(dims) > 1 else a
    return w


def rmsnorm(x, wt, eps):
    return x / np.sqrt(np.mean(x * x) + eps) * wt


def quant_i8(x):
    m = max(np.max(np.abs(x)), 1e-5)
    s = 127.0 / m
    return np.clip(np.round(x * s), -128, 127) / s


def rope(x, pos, dims, base, neox):
    x = x.copy()
    half = dims // 2
    inv = base ** (-2.0 * np.arange(half) / dims)
    c, s = np.cos(pos * inv), np.sin(pos * inv)
    if neox:
        a, b = x[..., :half].copy(), x[..., half:dims].copy()
        x[..., :half], x[..., half:dims] = a * c - b * s, a * s + b * c
    else:
        a, b = x[..., 0:dims:2].copy(), x[..., 1:dims:2].copy()
        x[..., 0:dims:2], x[..., 1:dims:2] = a * c - b * s, a * s + b * c
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--int8-per-token", action="store_true")
    ap.add_argument("--i2s-interleave", type=int, default=128)
    ap.add_argument("--act", choices=["auto", "silu", "relu2"], default="auto",
                    help="override the FFN activation (a negative control for the tests)")
    a = ap.parse_args()
    r = GGUFReader(a.model)
    arch = field(r, "general.architecture")
    g = lambda k, d=None: field(r, f"{arch}.{k}", d)
    E, L, H = g("embedding_length"), g("block_count"), g("attention.head_count")
    HKV = g("attention.head_count_kv", H)
    eps, base = g("attention.layer_norm_rms_epsilon"), g("rope.freq_base", 10000.0)
    hd = E // H
    rdims = g("rope.dimension_count", hd)
    act = g("hidden_activation")
    relu2 = (act in ("relu2", "relu_sqr", "relu_squared", "squared_relu")) or (act is None and arch in ("bitnet-b1.58", "bitnet-25"))
    if a.act != "auto":
        relu2 = a.act == "relu2"
    sub = arch != "llama"
    neox = arch != "llama"
    w = load_weights(r, a.i2s_interleave)
    types = {t.name: int(t.tensor_type) for t in r.tensors}
    ternary = {34, 35, I2_S}

    def mm(name, x):
        if a.int8_per_token and types[name + ".weight"] in ternary:
            x = quant_i8(x)
        y = w[name + ".weight"] @ x
        if name + ".scale" in w:
            y = y * w[name + ".scale"].reshape(-1)[0]
        return y

    toks = [int(t) for t in a.tokens.split(",")]
    K = [[] for _ in range(L)]
    V = [[] for _ in range(L)]
    for pos, tok in enumerate(toks):
        x = w["token_embd.weight"][tok].copy()
        for l in range(L):
            p = f"blk.{l}."
            h = rmsnorm(x, w[p + "attn_norm.weight"], eps)
            q = mm(p + "attn_q", h).reshape(H, hd)
            k = mm(p + "attn_k", h).reshape(HKV, hd)
            v = mm(p + "attn_v", h).reshape(HKV, hd)
            q, k = rope(q, pos, rdims, base, neox), rope(k, pos, rdims, base, neox)
            K[l].append(k); V[l].append(v)
            Ks, Vs = np.stack(K[l]), np.stack(V[l])
            out = np.empty((H, hd))
            for hh in range(H):
                kv = hh // (H // HKV)
                s = Ks[:, kv, :] @ q[hh] / np.sqrt(hd)
                e = np.exp(s - s.max()); e /= e.sum()
                out[hh] = e @ Vs[:, kv, :]
            o = out.reshape(-1)
            if sub:
                o = rmsnorm(o, w[p + "attn_sub_norm.weight"], eps)
            x = x + mm(p + "attn_output", o)
            f = rmsnorm(x, w[p + "ffn_norm.weight"], eps)
            gt, up = mm(p + "ffn_gate", f), mm(p + "ffn_up", f)
            gt = np.maximum(gt, 0) ** 2 if relu2 else gt / (1 + np.exp(-gt))
            y = gt * up
            if sub:
                y = rmsnorm(y, w[p + "ffn_sub_norm.weight"], eps)
            x = x + mm(p + "ffn_down", y)
    x = rmsnorm(x, w["output_norm.weight"], eps)
    out_name = "output" if ("output.weight" in w and arch != "bitnet") else "token_embd"
    logits = w[out_name + ".weight"] @ x
    json.dump({"logits": [float(v) for v in logits], "argmax": int(np.argmax(logits))}, sys.stdout)


if __name__ == "__main__":
    main()
