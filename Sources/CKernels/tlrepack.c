/* Load-time repacking of single-scale ternary layouts (bitnet.cpp TL1/TL2, uniform BitNet32-F16) into the
 * I2_S 128-weight interleave, so they run on the I2_S kernels. The walks mirror TensorCodec+TL1/TL2.swift
 * (the GGUF layer's reference decoders, which tests compare against). Codes only: the caller writes the
 * 32-byte scale tail. */
#include "ck_internal.h"
#include <pthread.h>

/* Row-major codes (0, 1, 2; n % 128 == 0) → I2_S 128-weight interleave. */
static void pack_i2s(const uint8_t *codes, size_t n, uint8_t *dst) {
    for (size_t b = 0; b < n / CK_QK_I2S; b++) {
        const uint8_t *c = codes + b * CK_QK_I2S;
        uint8_t *d = dst + b * 32;
        for (int j = 0; j < 32; j++) d[j] = (uint8_t)(c[j] << 6 | c[j + 32] << 4 | c[j + 64] << 2 | c[j + 96]);
    }
}

/* TL pair index 3·w0 + w1 + 4 (0…8) → the two codes (w + 1) as c0 | c1 << 4; 0xFF above 8. */
static const uint8_t pair_codes[16] = {
    0x00, 0x10, 0x20, 0x01, 0x11, 0x21, 0x02, 0x12, 0x22, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* Writes the four codes of one pair byte at codes[o..o+3]; 0 on an index above 8. */
static inline int put_pair_byte(uint8_t *codes, size_t o, uint8_t b) {
    const uint8_t hi = pair_codes[b >> 4], lo = pair_codes[b & 15];
    if (hi == 0xFF || lo == 0xFF) return 0;
    codes[o] = hi & 15; codes[o + 1] = hi >> 4; codes[o + 2] = lo & 15; codes[o + 3] = lo >> 4;
    return 1;
}

int ck_tl1_to_i2s(const uint8_t *src, size_t rows, size_t cols, size_t BM, size_t BK, size_t bm, uint8_t *dst,
                  uint8_t *scratch) {
    if ((bm != 32 && bm != 64) || rows == 0 || cols == 0 || rows % BM || cols % BK || BM % bm || BK % (256 / bm) ||
        (rows * cols) % CK_QK_I2S)
        return -1;
    const size_t by = 256 / bm;
    uint8_t *codes = scratch;
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
                                if (!put_pair_byte(codes, row * cols + 2 * pair, src[byte++])) return -2;
                            }
    pack_i2s(codes, rows * cols, dst);
    return 0;
}

/* Position of byte r of a 32-byte row after the converter's group reorder (groups 1 and 2 swapped). */
static inline size_t tl2_swap(size_t r) {
    const size_t g = r / 8;
    return (g == 1 ? 2 : g == 2 ? 1 : g) * 8 + r % 8;
}

/* Triple value t = 9·w0 + 3·w1 + w2 (−13…13, index t + 13) → codes c0 | c1 << 2 | c2 << 4. */
static uint8_t triple_codes[27];
static void triple_init(void) {
    for (int t = -13; t <= 13; t++) {
        int v = t, c[3];
        for (int d = 2; d >= 0; d--) {                       /* balanced base 3, last weight first */
            const int w = ((v % 3) + 4) % 3 - 1;
            c[d] = w + 1;
            v = (v - w) / 3;
        }
        triple_codes[t + 13] = (uint8_t)(c[0] | c[1] << 2 | c[2] << 4);
    }
}

int ck_tl2_to_i2s(const uint8_t *src, size_t rows, size_t cols, size_t BM, size_t BK, uint8_t *dst, uint8_t *scratch) {
    if (rows == 0 || cols < 256 || rows % BM || BM % 32 || BK % 24 || cols < BK || (cols % BK) % 32 ||
        (rows * cols) % CK_QK_I2S)
        return -1;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, triple_init);
    const size_t k3 = cols - cols % BK, k2 = cols - k3;
    uint8_t *codes = scratch;
    /* sections 1 and 2 walk the same tiles: per (row tile, column tile, 32-row strip) BK/6 magnitude rows of 32
     * bytes, and BK/24 sign groups of 32 bytes (16 words; triple T of the tile, row r: sign group T/8, f = (T%8)·32
     * + r, word f%16, bit 15 − f/16) */
    const uint8_t *mag = src, *sgn = src + rows * k3 / 6;
    for (size_t mb = 0; mb < rows / BM; mb++)
        for (size_t kb = 0; kb < k3 / BK; kb++)
            for (size_t mbb = 0; mbb < BM / 32; mbb++) {
                for (size_t kyb = 0; kyb < BK / 6; kyb++) {
                    for (size_t r = 0; r < 32; r++) {
                        const uint8_t b = mag[kyb * 32 + tl2_swap(r)];
                        const size_t o = (mb * BM + mbb * 32 + r) * cols + kb * BK + kyb * 6;
                        for (size_t h = 0; h < 2; h++) {
                            const int m = h == 0 ? b >> 4 : b & 15;
                            if (m > 13) return -2;
                            const size_t T = kyb * 2 + h, f = (T % 8) * 32 + r, bit = 15 - f / 16;
                            const int neg = (sgn[(T / 8) * 32 + 2 * (f % 16) + bit / 8] >> (bit % 8)) & 1;
                            const uint8_t c = triple_codes[(neg ? -m : m) + 13];
                            codes[o + 3 * h] = c & 3; codes[o + 3 * h + 1] = (c >> 2) & 3; codes[o + 3 * h + 2] = c >> 4;
                        }
                    }
                }
                mag += BK / 6 * 32;
                sgn += BK / 24 * 32;
            }
    /* section 3: the remainder columns in TL1-style pairs (BK 32, bm 32), after the sign section */
    const uint8_t *rem = src + rows * k3 / 6 + rows * k3 / 24;
    for (size_t mb = 0; mb < rows / BM; mb++)
        for (size_t kb = 0; kb < k2 / 32; kb++)
            for (size_t mbb = 0; mbb < BM / 32; mbb++)
                for (size_t kyb = 0; kyb < 8; kyb++) {
                    for (size_t r = 0; r < 32; r++) {
                        const size_t row = mb * BM + mbb * 32 + r, col = k3 + kb * 32 + kyb * 4;
                        if (!put_pair_byte(codes, row * cols + col, rem[tl2_swap(r)])) return -2;
                    }
                    rem += 32;
                }
    pack_i2s(codes, rows * cols, dst);
    return 0;
}

/* BitNet32-F16: 10-byte blocks, byte i/4 holds weight i in bits 2(i%4)+1:2(i%4); code 3 decodes as 0 (code 1).
 * One I2_S block of 128 weights is four BitNet32 blocks: byte j = codes j, j+32, j+64, j+96. */
static inline unsigned bn32_code(const uint8_t *blk, int i) {
    const unsigned c = (blk[i / 4] >> (2 * (i % 4))) & 3;
    return c == 3 ? 1 : c;
}

void ck_bn32_to_i2s(const uint8_t *src, size_t n, uint8_t *dst) {
    for (size_t g = 0; g < n / CK_QK_I2S; g++) {
        const uint8_t *b = src + g * 4 * 10;
        uint8_t *d = dst + g * 32;
        for (int j = 0; j < 32; j++)
            d[j] = (uint8_t)(bn32_code(b, j) << 6 | bn32_code(b + 10, j) << 4 | bn32_code(b + 20, j) << 2 |
                             bn32_code(b + 30, j));
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

/* I2_S 64-weight blocks (ARM converters: byte j of a 16-byte block holds weights j, j+16, j+32, j+48 in bits 7:6, 5:4,
 * 3:2, 1:0) → 128-weight blocks (byte j of 32 holds j, j+32, j+64, j+96). With A, B the two 64-blocks of a 128 group:
 * out[j] = A[j]{7:6} A[j]{3:2} B[j]{7:6} B[j]{3:2} and out[16+j] = A[j]{5:4} A[j]{1:0} B[j]{5:4} B[j]{1:0} (j < 16),
 * eight bytes at a time (every shift is masked back into its own byte). */
void ck_i2s64_to_i2s(const uint8_t *src, size_t n, uint8_t *dst) {
    const uint64_t c0 = 0xC0C0C0C0C0C0C0C0ull, c1 = 0x3030303030303030ull, c2 = 0x0C0C0C0C0C0C0C0Cull,
                   c3 = 0x0303030303030303ull;
    for (size_t g = 0; g < n / CK_QK_I2S; g++) {
        const uint8_t *s = src + g * 32;
        uint8_t *d = dst + g * 32;
        for (int h = 0; h < 2; h++) {
            uint64_t a, b;
            memcpy(&a, s + 8 * h, 8);
            memcpy(&b, s + 16 + 8 * h, 8);
            const uint64_t lo = (a & c0) | ((a << 2) & c1) | ((b >> 4) & c2) | ((b >> 2) & c3);
            const uint64_t hi = ((a << 2) & c0) | ((a << 4) & c1) | ((b >> 2) & c2) | (b & c3);
            memcpy(d + 8 * h, &lo, 8);
            memcpy(d + 16 + 8 * h, &hi, 8);
        }
    }
}
