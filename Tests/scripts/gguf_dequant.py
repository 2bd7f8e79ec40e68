#!/usr/bin/env python3
"""Dequantizes named tensors of a GGUF file with the PyPI `gguf` package.

Usage: gguf_dequant.py FILE NAME...
Output: JSON {"NAME": {"type": id, "dims": [...], "values": [floats, flattened, dims[0] fastest]}}
"""
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


def main():
    r = GGUFReader(sys.argv[1])
    want = set(sys.argv[2:])
    out = {}
    for t in r.tensors:
        if t.name in want:
            x = dequantize(t.data, t.tensor_type).astype(np.float64).reshape(-1)
            out[t.name] = {"type": int(t.tensor_type), "dims": [int(d) for d in t.shape], "values": x.tolist()}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
