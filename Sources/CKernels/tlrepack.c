/* Load-time repacking of single-scale ternary layouts (bitnet.cpp TL1/TL2, uniform BitNet32-F16) into the
 * I2_S 128-weight interleave, so they run on the I2_S kernels. The walks mirror TensorCodec+TL1/TL2.swift
 * (the GGUF layer's reference decoders, which tests compare against). Codes only: the caller writes the
 * 32-byte scale tail. */
#include "ck_internal.h"

/* Weight `i` (flat, row-major) of an I2_S tensor: block i/128, byte i%32, bits 7:6 for the first 32. */
static inline void put_code(uint8_t *dst, size_t i, int w) {
    const size_t e = i % CK_QK_I2S;
    dst[(i / CK_QK_I2S) * 32 + e % 32] |= (uint8_t)((w + 1) << (6 - 2 * (e / 32)));
}

/* TL pair index 3·w0 + w1 + 4 → (w0, w1); 0 on an index above 8. */
static inline int pair_values(unsigned idx, int *w0, int *w1) {
    if (idx > 8) return 0;
    const int v = (int)idx - 4;
    *w1 = ((v % 3) + 4) % 3 - 1;
    *w0 = (v - *w1) / 3;
    return 1;
}

/* Writes the four weights of one pair byte at (row, col..col+3). */
static inline int put_pair_byte(uint8_t *dst, size_t cols, size_t row, size_t col, uint8_t b) {
    int a0, a1, b0, b1;
    if (!pair_values(b >> 4, &a0, &a1) || !pair_values(b & 15, &b0, &b1)) return 0;
    const size_t o = row * cols + col;
    put_code(dst, o, a0); put_code(dst, o + 1, a1); put_code(dst, o + 2, b0); put_code(dst, o + 3, b1);
    return 1;
}

int ck_tl1_to_i2s(const uint8_t *src, size_t rows, size_t cols, size_t BM, size_t BK, size_t bm, uint8_t *dst) {
    if ((bm != 32 && bm != 64) || rows == 0 || cols == 0 || rows % BM || cols % BK || BM % bm || BK % (256 / bm) ||
        (rows * cols) % CK_QK_I2S)
        return -1;
    const size_t by = 256 / bm;
    memset(dst, 0, rows * cols / 4);
    size_t byte = 0;
    for (size_t mb = 0; mb < rows / BM; mb++)
        for (size_t kb = 0; kb < cols / BK; kb++)
            for (size_t mbb = 0; mbb < BM / bm; mbb++)
                for (size_t kyb = 0; kyb < BK / by; kyb++)
                    for (size_t m16 = 0; m16 < bm / 16; m16++)
                        for (size_t k4 = 0; k4 < by / 4; k4++)
                            for (size_t r = 0; r < 16; r++) {
                                const size_t row = mb * BM + mbb * bm + m16 * 16 + r;
                                const size_t pair = kb * (BK / 2) + kyb * (by / 2) + k4 * 2;
                                if (!put_pair_byte(dst, cols, row, 2 * pair, src[byte++])) return -2;
                            }
    return 0;
}

/* Position of byte r of a 32-byte row after the converter's group reorder (groups 1 and 2 swapped). */
static inline size_t tl2_swap(size_t r) {
    const size_t g = r / 8;
    return (g == 1 ? 2 : g == 2 ? 1 : g) * 8 + r % 8;
}

int ck_tl2_to_i2s(const uint8_t *src, size_t rows, size_t cols, size_t BM, size_t BK, uint8_t *dst, uint8_t *scratch) {
    if (rows == 0 || cols < 256 || rows % BM || BM % 32 || BK % 24 || cols < BK || (cols % BK) % 32 ||
        (rows * cols) % CK_QK_I2S)
        return -1;
    const size_t k3 = cols - cols % BK, k2 = cols - k3;
    memset(dst, 0, rows * cols / 4);
    /* scratch[row * k3/3 + col/3] = 1 when the triple starting at col is negative (section 2) */
    uint8_t *neg = scratch;
    memset(neg, 0, rows * k3 / 3);
    size_t base = rows * k3 / 6;
    for (size_t mb = 0; mb < rows / BM; mb++)
        for (size_t kb = 0; kb < k3 / BK; kb++)
            for (size_t mbb = 0; mbb < BM / 32; mbb++)
                for (size_t ks = 0; ks < BK / 24; ks++) {
                    for (size_t f = 0; f < 256; f++) {
                        const size_t ksi = f / 32, r = f % 32, i = f / 16, j = f % 16;
                        const size_t word = base + 2 * j, bit = 15 - i;
                        const size_t row = mb * BM + mbb * 32 + r, col = kb * BK + ks * 24 + ksi * 3;
                        neg[row * (k3 / 3) + col / 3] = (src[word + bit / 8] >> (bit % 8)) & 1;
                    }
                    base += 32;
                }
    /* section 1: magnitudes of triples, two per byte */
    base = 0;
    for (size_t mb = 0; mb < rows / BM; mb++)
        for (size_t kb = 0; kb < k3 / BK; kb++)
            for (size_t mbb = 0; mbb < BM / 32; mbb++)
                for (size_t kyb = 0; kyb < BK / 6; kyb++) {
                    for (size_t r = 0; r < 32; r++) {
                        const uint8_t b = src[base + tl2_swap(r)];
                        const size_t row = mb * BM + mbb * 32 + r, col = kb * BK + kyb * 6;
                        for (int h = 0; h < 2; h++) {
                            const int mag = h == 0 ? b >> 4 : b & 15;
                            if (mag > 13) return -2;
                            const size_t c = col + 3 * (size_t)h;
                            int t = neg[row * (k3 / 3) + c / 3] ? -mag : mag;
                            const size_t o = row * cols + c;
                            for (int d = 0; d < 3; d++) {            /* balanced base 3, last weight first */
                                const int w = ((t % 3) + 4) % 3 - 1;
                                put_code(dst, o + 2 - (size_t)d, w);
                                t = (t - w) / 3;
                            }
                        }
                    }
                    base += 32;
                }
    /* section 3: the remainder columns in TL1-style pairs (BK 32, bm 32) */
    base += rows * k3 / 24;
    for (size_t mb = 0; mb < rows / BM; mb++)
        for (size_t kb = 0; kb < k2 / 32; kb++)
            for (size_t mbb = 0; mbb < BM / 32; mbb++)
                for (size_t kyb = 0; kyb < 8; kyb++) {
                    for (size_t r = 0; r < 32; r++) {
                        const size_t row = mb * BM + mbb * 32 + r, col = k3 + kb * 32 + kyb * 4;
                        if (!put_pair_byte(dst, cols, row, col, src[base + tl2_swap(r)])) return -2;
                    }
                    base += 32;
                }
    return 0;
}

/* BitNet32-F16: 10-byte blocks, byte i/4 holds weight i in bits 2(i%4)+1:2(i%4); code 3 decodes as 0. */
void ck_bn32_to_i2s(const uint8_t *src, size_t n, uint8_t *dst) {
    memset(dst, 0, n / 4);
    for (size_t b = 0; b < n / 32; b++) {
        const uint8_t *p = src + b * 10;
        for (size_t i = 0; i < 32; i++) {
            const int c = (p[i / 4] >> (2 * (i % 4))) & 3;
            put_code(dst, b * 32 + i, c == 3 ? 0 : c - 1);
        }
    }
}

int ck_bn32_uniform_scale(const uint8_t *src, size_t nblocks, float *d) {
    int have = 0;
    uint16_t common = 0;
    for (size_t b = 0; b < nblocks; b++) {
        const uint8_t *p = src + b * 10;
        int nonzero = 0;
        for (int k = 0; k < 8; k++) {
            const uint8_t v = p[k];
            /* a weight is zero when its code is 1 or 3 */
            for (int s = 0; s < 8; s += 2) nonzero |= ((v >> s) & 1) == 0;
        }
        if (!nonzero) continue;
        const uint16_t h = ck_load_u16(p + 8);
        if (!have) { have = 1; common = h; }
        else if (h != common) return 0;
    }
    *d = have ? ck_f16_to_f32(common) : 0.0f;
    return 1;
}
