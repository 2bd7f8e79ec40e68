#!/usr/bin/env python3
"""Reference (de)quantization for the CKernels tests, using the PyPI `gguf` package's numpy codecs.

  kernels_ref.py quantize TYPE IN.f32 OUT.bin      float32 little-endian values -> GGUF blocks of TYPE
  kernels_ref.py dequantize TYPE IN.bin OUT.f32    GGUF blocks of TYPE -> float32 values

TYPE is a GGMLQuantizationType name (Q8_0, Q4_0, Q4_1, Q6_K, TQ1_0, TQ2_0, ...). Errors go to stderr, exit 1.
"""
import sys

import numpy as np
from gguf import GGMLQuantizationType, quants


def main(argv):
    if len(argv) != 5 or argv[1] not in ("quantize", "dequantize"):
        sys.stderr.write(__doc__)
        return 1
    mode, tname, src, dst = argv[1:]
    try:
        qtype = GGMLQuantizationType[tname]
    except KeyError:
        sys.stderr.write(f"unknown type {tname}\n")
        return 1
    if mode == "quantize":
        x = np.fromfile(src, dtype="<f4")
        out = quants.quantize(x.reshape(1, -1), qtype)
        np.ascontiguousarray(out).tofile(dst)
    else:
        b = np.fromfile(src, dtype=np.uint8)
        out = quants.dequantize(b.reshape(1, -1), qtype).astype("<f4")
        np.ascontiguousarray(out).tofile(dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
