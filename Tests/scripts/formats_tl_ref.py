#!/usr/bin/env python3
"""Independent reference for bitnet.cpp's TL1/TL2 byte layouts (numpy only).

Re-implements, from reading microsoft/BitNet utils/convert-hf-to-gguf-bitnet.py (preprocess_weights_tl1 /
process_tl1, preprocess_weights_tl2 / preprocess_three_weights_tl2 / preprocess_two_weights_tl2), the
reshape/transpose sequence the converter applies, with the tile configuration passed explicitly instead of
read from include/kernel_config.ini.

Usage: formats_tl_ref.py tl1|tl2 VALUES.i8 M K BM BK bm OUT.bin
VALUES.i8: M*K int8 ternary values, row-major (K per row). OUT.bin: the converter's bytes (TL2: padded).
"""
import sys

import numpy as np


def pair_index(w):
    m, k = w.shape
    p = w.reshape(m * k // 2, 2)
    return (p[:, 0] * 3 + p[:, 1] + 4).reshape(m, k // 2).astype(np.uint8)


def tl1(w, BM, BY, bm):
    M, K = w.shape
    by = 256 // bm
    x = pair_index(w)
    x = x.reshape(M // BM, BM, K // 2).transpose(0, 2, 1)
    x = x.reshape(M // BM, K // BY, BY // 2, BM).transpose(0, 1, 3, 2)
    x = x.reshape(M // BM, K // BY, BM // bm, bm, BY // 2).transpose(0, 1, 2, 4, 3)
    x = x.reshape(M // BM, K // BY, BM // bm, BY // by, by // 2, bm).transpose(0, 1, 2, 3, 5, 4)
    x = x.reshape(M // BM, K // BY, BM // bm, BY // by, bm // 16, 16, by // 2).transpose(0, 1, 2, 3, 4, 6, 5)
    x = x.reshape(M // BM, K // BY, BM // bm, BY // by, bm // 16, by // 4, 2, 16).transpose(0, 1, 2, 3, 4, 5, 7, 6)
    x = x.reshape(M * K // 64, 16, 2)
    return ((x[:, :, 0] << 4) + x[:, :, 1]).reshape(-1)


def swap_groups(rows, bm):
    rows = rows.reshape(rows.shape[0], bm // 8, 8).copy()
    rows[:, [0, 1, 2, 3], :] = rows[:, [0, 2, 1, 3], :]
    return rows.reshape(-1, bm)


def tl2_pairs(w, BM, BY, bm, by):
    M, K = w.shape
    x = pair_index(w)
    x = x.reshape(M // BM, BM, K // 2).transpose(0, 2, 1)
    x = x.reshape(M // BM, K // BY, BY // 2, BM).transpose(0, 1, 3, 2)
    x = x.reshape(M // BM, K // BY, BM // bm, bm, BY // 2).transpose(0, 1, 2, 4, 3)
    x = x.reshape(M // BM, K // BY, BM // bm, BY // by, by // 2, bm).transpose(0, 1, 2, 3, 5, 4)
    x = x.reshape(M // BM, K // BY, BM // bm, BY // by, bm, by // 2)
    x = (x[..., 0] << 4) + x[..., 1]
    return swap_groups(x.reshape(M * K // bm // by, bm), bm)


def tl2_triples(w, BM, BY, bm, by):
    M, K = w.shape
    t = w.reshape(M * K // 3, 3).astype(np.int32)
    t = t[:, 0] * 9 + t[:, 1] * 3 + t[:, 2]
    sign = (t < 0).astype(np.uint8).reshape(M, K // 3)
    mag = np.abs(t).astype(np.uint8).reshape(M, K // 3)

    x = mag.reshape(M // BM, BM, K // 3).transpose(0, 2, 1)
    x = x.reshape(M // BM, K // BY, BY // 3, BM).transpose(0, 1, 3, 2)
    x = x.reshape(M // BM, K // BY, BM // bm, bm, BY // 3).transpose(0, 1, 2, 4, 3)
    x = x.reshape(M // BM, K // BY, BM // bm, BY // by, by // 3, bm).transpose(0, 1, 2, 3, 5, 4)
    x = x.reshape(M // BM, K // BY, BM // bm, BY // by, bm, by // 3)
    x = (x[..., 0] << 4) + x[..., 1]
    mags = swap_groups(x.reshape(M * K // bm // by, bm), bm)

    s = sign.reshape(M // BM, BM, K // 3).transpose(0, 2, 1)
    s = s.reshape(M // BM, K // BY, BY // 3, BM).transpose(0, 1, 3, 2)
    s = s.reshape(M // BM, K // BY, BM // bm, bm, BY // 3).transpose(0, 1, 2, 4, 3)
    s = s.reshape(M // BM, K // BY, BM // bm, BY // (by * 4), by // 3 * 4, bm).transpose(0, 1, 2, 3, 5, 4)
    s = s.reshape(M // BM, K // BY, BM // bm, BY // (by * 4), bm, by // 3 * 4).transpose(0, 1, 2, 3, 5, 4)
    s = s.reshape(M // BM, K // BY, BM // bm, BY // (by * 4), by // 3 * 8, bm // 2).astype(np.uint16)
    words = np.zeros((M // BM, K // BY, BM // bm, BY // (by * 4), bm // 2), dtype=np.uint16)
    for i in range(16):
        words += s[:, :, :, :, i, :] << (15 - i)
    signs = words.astype("<u2").view(np.uint8).reshape(M * K // bm // (by * 4), bm)
    return mags, signs


def tl2(w, BM, BY, bm):
    M, K = w.shape
    by = 192 // bm
    k3 = K - K % BY
    mags, signs = tl2_triples(np.ascontiguousarray(w[:, :k3]), BM, BY, bm, by)
    parts = [mags.reshape(-1), signs.reshape(-1)]
    if K % BY:
        parts.append(tl2_pairs(np.ascontiguousarray(w[:, k3:]), BM, 32, 32, 4).reshape(-1))
    x = np.concatenate(parts).astype(np.uint8)
    size = (K - 256) * M // 3 * 5 // 8 + 256 * M // 2 * 4 // 8
    return np.pad(x, (0, size - x.shape[0]))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    M, K, BM, BK, bm = (int(a) for a in sys.argv[3:8])
    w = np.fromfile(path, dtype=np.int8).astype(np.int32).reshape(M, K)
    out = tl1(w, BM, BK, bm) if mode == "tl1" else tl2(w, BM, BK, bm)
    out.astype(np.uint8).tofile(sys.argv[8])


if __name__ == "__main__":
    main()
