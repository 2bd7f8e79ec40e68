#!/usr/bin/env python3
"""Regenerates fixtures/gguf/corpus: small GGUF seed files (valid and hostile) for the fuzz harness and
the fixture tests. Deterministic. Valid v3 files come from the PyPI gguf writer; v1/v2 and hostile
files are packed by hand following ggml's docs/gguf.md.

Usage: gguf_make_fixtures.py OUTDIR
"""
import os
import struct
import sys

import numpy as np
from gguf import GGUFWriter, GGMLQuantizationType as T
from gguf.quants import quantize


class Raw:
    def __init__(self, version=3, tensors=0, kvs=0, magic=b"GGUF"):
        self.wide = version >= 2
        self.b = bytearray(magic + struct.pack("<I", version))
        self.count(tensors)
        self.count(kvs)

    def u32(self, v): self.b += struct.pack("<I", v & 0xFFFFFFFF)
    def u64(self, v): self.b += struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)
    def count(self, v): self.u64(v) if self.wide else self.u32(v)
    def s(self, text):
        raw = text.encode() if isinstance(text, str) else text
        self.count(len(raw)); self.b += raw
    def kv_str(self, k, v): self.s(k); self.u32(8); self.s(v)
    def kv_u32(self, k, v): self.s(k); self.u32(4); self.u32(v)
    def tensor(self, name, dims, typ, off):
        self.s(name); self.u32(len(dims))
        for d in dims: self.u64(d) if self.wide else self.u32(d)
        self.u32(typ); self.u64(off)
    def data(self, n, align=32):
        while len(self.b) % align: self.b.append(0)
        self.b += bytes((i * 31 + 7) & 0xFF for i in range(n))


def write(outdir, name, data):
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(bytes(data))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)

    w = GGUFWriter(os.path.join(out, "valid-v3-gguf-writer.gguf"), arch="bitnet")
    w.add_name("seed")
    w.add_uint32("bitnet.block_count", 1)
    w.add_float32("bitnet.rope.freq_base", 10000.0)
    w.add_bool("tokenizer.ggml.add_bos_token", True)
    w.add_array("tokenizer.ggml.tokens", ["a", "b", "Ġc"])
    w.add_array("test.nested", [[1, 2], [3]])
    w.add_tensor("f32", rng.standard_normal((2, 32)).astype(np.float32))
    w.add_tensor("f16", rng.standard_normal((32,)).astype(np.float16))
    for name, qt in (("q8_0", T.Q8_0), ("tq2_0", T.TQ2_0), ("tq1_0", T.TQ1_0)):
        src = rng.integers(-1, 2, size=(1, 256)).astype(np.float32) * 0.5
        w.add_tensor(name, quantize(src, qt), raw_dtype=qt)
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()

    for v in (1, 2):
        r = Raw(version=v, tensors=1, kvs=2)
        r.kv_str("general.architecture", "llama"); r.kv_u32("llama.block_count", 1)
        r.tensor("x", [4, 2], 0, 0); r.data(32)
        write(out, f"valid-v{v}.gguf", r.b)

    # bitnet.cpp I2_S tensor (type 36, n/4 + 32 bytes) in a bitnet-b1.58 file
    r = Raw(tensors=2, kvs=2)
    r.kv_str("general.architecture", "bitnet-b1.58"); r.kv_u32("general.file_type", 40)
    r.tensor("blk.0.attn_q.weight", [128, 4], 36, 0); r.tensor("blk.0.attn_norm.weight", [128], 0, 160)
    r.data(160 + 512)
    write(out, "valid-i2s-fork.gguf", r.b)

    # type 39 sized as MXFP4 (mainline)
    r = Raw(tensors=1, kvs=1); r.kv_str("general.architecture", "llama")
    r.tensor("w", [64], 39, 0); r.data(34)
    write(out, "valid-mxfp4.gguf", r.b)

    # hostile inputs
    good = Raw(tensors=1, kvs=1); good.kv_str("general.architecture", "llama"); good.tensor("x", [8], 0, 0); good.data(32)
    write(out, "bad-truncated.gguf", good.b[:45])
    write(out, "bad-magic.gguf", b"GGML" + bytes(good.b[4:]))
    write(out, "bad-huge-tensor-count.gguf", Raw(tensors=1 << 62, kvs=0).b)
    r = Raw(tensors=0, kvs=1); r.s("k"); r.u32(8); r.count(1 << 60); write(out, "bad-huge-string.gguf", r.b)
    r = Raw(tensors=0, kvs=1); r.s("k"); r.u32(9); r.u32(8); r.count(1 << 40); write(out, "bad-huge-array.gguf", r.b)
    r = Raw(tensors=1, kvs=0); r.tensor("w", [1 << 32, 1 << 32], 0, 0); r.data(32); write(out, "bad-dims-overflow.gguf", r.b)
    r = Raw(tensors=1, kvs=0); r.tensor("w", [4], 0, 4); r.data(64); write(out, "bad-misaligned.gguf", r.b)
    r = Raw(tensors=2, kvs=0); r.tensor("a", [16], 0, 0); r.tensor("b", [4], 0, 32); r.data(96); write(out, "bad-overlap.gguf", r.b)
    r = Raw(tensors=1, kvs=0); r.tensor("w", [32], 77, 0); r.data(64); write(out, "bad-unknown-type.gguf", r.b)
    r = Raw(tensors=0, kvs=1); r.s("deep"); r.u32(9)
    for _ in range(64): r.u32(9); r.count(1)
    r.u32(4); r.count(0); write(out, "bad-deep-nesting.gguf", r.b)
    r = Raw(tensors=0, kvs=2); r.kv_u32("a", 1); r.kv_u32("a", 2); write(out, "bad-duplicate-key.gguf", r.b)
    r = Raw(tensors=1, kvs=0); r.tensor("w", [64], 0, 0); r.data(100); write(out, "bad-out-of-bounds.gguf", r.b)


if __name__ == "__main__":
    main()
