#!/usr/bin/env python3
"""Dequantizes raw IQ2_S blocks with the PyPI `gguf` package (gguf.quants.dequantize).

Usage: formats_iq2s_dequant.py BLOCKS.bin OUT.f32
BLOCKS.bin: whole 82-byte block_iq2_s records. OUT.f32: little-endian float32 values, 256 per block.
"""
import sys

import numpy as np
from gguf import GGMLQuantizationType
from gguf.quants import dequantize


def main():
    raw = np.fromfile(sys.argv[1], dtype=np.uint8)
    if raw.size % 82:
        sys.exit("input is not a whole number of 82-byte IQ2_S blocks")
    x = dequantize(raw.reshape(-1, 82), GGMLQuantizationType.IQ2_S).astype("<f4").reshape(-1)
    x.tofile(sys.argv[2])


if __name__ == "__main__":
    main()
