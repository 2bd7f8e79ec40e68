#!/usr/bin/env python3
"""Make a BitNet32-F16 GGUF file whose block scales vary (for benchmarks of the varying-scale kernel).

Copies IN to OUT and multiplies the f16 scale of every BitNet32-F16 block (GGUF type 36: 32 weights = 8 code
bytes + f16 scale) by 1, 1.5, 0.75, 1.25 in turn per 256 weights (8 blocks), so no tensor keeps one scale and
the engine cannot repack it to I2_S. Codes and every other tensor stay as they are.

The GGUF header is walked here (numpy only): PyPI gguf's reader does not know type 36.

Usage: bn32_vary_scales.py IN.gguf OUT.gguf
"""
import shutil
import struct
import sys

import numpy as np

BN32_TYPE = 36
FACTORS = np.array([1.0, 1.5, 0.75, 1.25], dtype=np.float32)
SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        v = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return v[0]

    def string(self):
        n = self.take("Q")
        s = bytes(self.data[self.pos:self.pos + n]).decode("utf-8")
        self.pos += n
        return s

    def value(self, t):
        if t == 8:
            return self.string()
        if t == 9:
            et, n = self.take("I"), self.take("Q")
            if et in SCALAR_SIZES:
                self.pos += SCALAR_SIZES[et] * n
                return None
            return [self.value(et) for _ in range(n)]
        if t not in SCALAR_SIZES:
            raise ValueError(f"unknown GGUF value type {t}")
        fmt = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}[t]
        return self.take(fmt)


def tensors(data):
    r = Reader(data)
    if bytes(data[:4]) != b"GGUF":
        raise ValueError("not a GGUF file")
    r.pos = 4
    version, n_tensors, n_kv = r.take("I"), r.take("Q"), r.take("Q")
    if version < 2:
        raise ValueError(f"GGUF version {version} not supported")
    alignment = 32
    for _ in range(n_kv):
        key = r.string()
        v = r.value(r.take("I"))
        if key == "general.alignment":
            alignment = int(v)
    infos = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.take("Q") for _ in range(r.take("I"))]
        ttype, offset = r.take("I"), r.take("Q")
        infos.append((name, dims, ttype, offset))
    base = (r.pos + alignment - 1) // alignment * alignment
    return base, infos


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bn32_vary_scales.py IN.gguf OUT.gguf")
    src, dst = sys.argv[1], sys.argv[2]
    shutil.copyfile(src, dst)
    data = np.memmap(dst, dtype=np.uint8, mode="r+")
    base, infos = tensors(data)
    changed = 0
    for name, dims, ttype, offset in infos:
        if ttype != BN32_TYPE:
            continue
        count = int(np.prod(dims))
        blocks = data[base + offset: base + offset + count // 32 * 10].reshape(-1, 10)
        scales = blocks[:, 8:10].copy().view(np.float16).reshape(-1).astype(np.float32)
        factor = FACTORS[(np.arange(scales.size) // 8) % FACTORS.size]
        blocks[:, 8:10] = (scales * factor).astype(np.float16).view(np.uint8).reshape(-1, 2)
        changed += 1
    data.flush()
    print(f"{dst}: block scales varied in {changed} BitNet32-F16 tensors", file=sys.stderr)
    if changed == 0:
        sys.exit("no BitNet32-F16 tensor found")


if __name__ == "__main__":
    main()
