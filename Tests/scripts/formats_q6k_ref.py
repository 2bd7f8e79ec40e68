#!/usr/bin/env python3
"""Q6_K reference bytes and values, from independent implementations.

  formats_q6k_ref.py quantize IN.f32 OUT.bin
      ggml's own quantize_row_q6_K_ref (the C function in libggml-base, as shipped inside the
      llama-cpp-python wheel), called through ctypes. Needs a python where `import llama_cpp` works,
      or BITNET_DOCTOR_LIBGGML_BASE=/path/to/libggml-base.so.
  formats_q6k_ref.py dequantize IN.bin OUT.f32
      the PyPI gguf package's gguf.quants.dequantize (numpy).

IN.f32/OUT.f32: little-endian float32; *.bin: whole 210-byte block_q6_K records.
"""
import ctypes
import glob
import os
import sys

import numpy as np


def libggml_base():
    path = os.environ.get("BITNET_DOCTOR_LIBGGML_BASE")
    if not path:
        import llama_cpp  # noqa: F401  (only to find the bundled library)
        libdir = os.path.join(os.path.dirname(llama_cpp.__file__), "lib")
        found = sorted(glob.glob(os.path.join(libdir, "libggml-base.so*")))
        if not found:
            sys.exit(f"no libggml-base.so under {libdir}")
        path = found[0]
    lib = ctypes.CDLL(path)
    fn = lib.quantize_row_q6_K_ref
    fn.restype = None
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    return fn


def main():
    mode, src, dst = sys.argv[1:4]
    if mode == "quantize":
        x = np.ascontiguousarray(np.fromfile(src, dtype="<f4"))
        if x.size % 256:
            sys.exit("input is not a multiple of 256 floats")
        y = np.zeros(x.size // 256 * 210, dtype=np.uint8)
        libggml_base()(x.ctypes.data, y.ctypes.data, x.size)
        y.tofile(dst)
    elif mode == "dequantize":
        from gguf import GGMLQuantizationType
        from gguf.quants import dequantize
        raw = np.fromfile(src, dtype=np.uint8)
        if raw.size % 210:
            sys.exit("input is not a whole number of 210-byte Q6_K blocks")
        dequantize(raw.reshape(-1, 210), GGMLQuantizationType.Q6_K).astype("<f4").reshape(-1).tofile(dst)
    else:
        sys.exit("mode must be quantize or dequantize")


if __name__ == "__main__":
    main()
