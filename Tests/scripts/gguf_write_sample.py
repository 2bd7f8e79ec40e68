#!/usr/bin/env python3
"""Writes a GGUF file with the PyPI `gguf` writer: every metadata value type, nested arrays, and tensors of
types F32, F16, BF16, Q8_0, Q4_0, Q4_1, TQ1_0, TQ2_0 quantized by gguf's own numpy quantizers. For each
quantized tensor `X` it also stores `X.src` (F32, the input) and `X.deq` (F32, gguf's dequantization), so a
reader can check both its decoding and its quantizers against gguf.

Usage: gguf_write_sample.py OUT [SEED]
"""
import sys

import numpy as np
import gguf
from gguf import GGUFWriter, GGMLQuantizationType as T
from gguf.quants import quantize, dequantize


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = np.random.default_rng(seed)
    w = GGUFWriter(out, arch="llama")
    w.add_name("sample")
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4000000000)
    w.add_int32("test.i32", -2000000000)
    w.add_float32("test.f32", 0.1)
    w.add_uint64("test.u64", 2**63 + 5)
    w.add_int64("test.i64", -(2**62))
    w.add_float64("test.f64", 1.0 / 3.0)
    w.add_bool("test.bool", True)
    w.add_string("test.string", "héllo ✓")
    w.add_array("test.strings", ["a", "", "ü", "Ġthe"])
    w.add_array("test.ints", [1, -2, 3])
    w.add_array("test.floats", [0.5, -1.25])
    w.add_array("test.nested", [[1, 2], [3, 4, 5]])
    w.add_array("test.bools", [True, False, True])

    shape = (4, 512)  # numpy (rows, cols): ggml dims [512, 4]
    w.add_tensor("f32", rng.standard_normal(shape).astype(np.float32))
    w.add_tensor("f16", rng.standard_normal(shape).astype(np.float16))
    for name, qt in (("bf16", T.BF16), ("q8_0", T.Q8_0), ("q4_0", T.Q4_0), ("q4_1", T.Q4_1)):
        src = rng.standard_normal(shape).astype(np.float32)
        q = quantize(src, qt)
        w.add_tensor(name, q, raw_dtype=qt)
        w.add_tensor(name + ".src", src)
        w.add_tensor(name + ".deq", dequantize(q, qt).astype(np.float32))
    for name, qt in (("tq1_0", T.TQ1_0), ("tq2_0", T.TQ2_0)):
        # ternary values times a per-row scale: what BitNet weights look like
        tern = rng.integers(-1, 2, size=shape).astype(np.float32)
        scale = rng.uniform(0.01, 2.0, size=(shape[0], 1)).astype(np.float32)
        src = tern * scale
        q = quantize(src, qt)
        w.add_tensor(name, q, raw_dtype=qt)
        w.add_tensor(name + ".src", src)
        w.add_tensor(name + ".deq", dequantize(q, qt).astype(np.float32))
    # general (non-ternary) input through the ternary quantizers: checks their rounding
    for name, qt in (("tq1_0g", T.TQ1_0), ("tq2_0g", T.TQ2_0)):
        src = rng.standard_normal(shape).astype(np.float32)
        q = quantize(src, qt)
        w.add_tensor(name, q, raw_dtype=qt)
        w.add_tensor(name + ".src", src)
        w.add_tensor(name + ".deq", dequantize(q, qt).astype(np.float32))
    # f32 -> f16 conversion as numpy does it
    src = (rng.standard_normal(shape) * 10.0 ** rng.integers(-7, 5, size=shape)).astype(np.float32)
    w.add_tensor("f16conv", src.astype(np.float16))
    w.add_tensor("f16conv.src", src)
    # Q6_K from random bytes with a sane f16 scale per block (gguf has no Q6_K quantizer)
    blocks = rng.integers(0, 256, size=(shape[0] * shape[1] // 256, 210), dtype=np.uint8)
    d = rng.uniform(0.001, 0.1, size=blocks.shape[0]).astype(np.float16)
    blocks[:, 208:210] = d.view(np.uint8).reshape(-1, 2)
    q = blocks.reshape(shape[0], -1)
    w.add_tensor("q6_k", q, raw_dtype=T.Q6_K)
    w.add_tensor("q6_k.deq", dequantize(q, T.Q6_K).astype(np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main()
