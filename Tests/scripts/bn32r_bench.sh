#!/usr/bin/env bash
# Micro benchmark of the bn32r kernels (varying-scale BitNet32-F16, Sources/CKernels/bn32r.c) against the I2_S ones,
# one thread, as quoted in docs/kernels.md and docs/performance.md. Builds CKernels with clang -O2 into a scratch
# directory; prints (1) whether gemv and gemm agree bit for bit on every path this CPU has, (2) the gemv streaming
# from DRAM (COPIES copies of a 6912×2560 matrix visited in turn; 40 copies = 220 MB), (3) gemv and gemm from cache.
# Usage: bn32r_bench.sh [COPIES]   (timings are wall clock: run on a quiet machine, compare within one run)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
src="$root/Sources/CKernels"
command -v clang >/dev/null || { echo "bn32r_bench: clang not found" >&2; exit 77; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/bench.c" <<'HARNESS'
#include "ckernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static uint32_t st = 1;
static uint32_t rnd(void) { st = st * 1664525u + 1013904223u; return st >> 8; }
static uint16_t scale(void) { return (uint16_t)(0x2000 + rnd() % 0x800); }
int main(int argc, char **argv) {
    const int copies = argc > 1 ? atoi(argv[1]) : 40;
    unsigned paths[] = {CK_PATH_SCALAR, CK_PATH_SCALAR | CK_PATH_AVX2, CK_PATH_SCALAR | CK_PATH_AVX2 | CK_PATH_AVXVNNI,
                        CK_PATH_SCALAR | CK_PATH_AVX2 | CK_PATH_AVX512VNNI};
    const unsigned cpu = ck_cpu_paths();
    int bad = 0;
    size_t ns[] = {128, 384, 640, 2560, 6912};
    for (int ni = 0; ni < 5; ni++) {
        const size_t n = ns[ni], rows = 7, T = 6;
        uint8_t *src = malloc(rows * n / 32 * 10);
        for (size_t b = 0; b < rows * n / 32; b++) { for (int i = 0; i < 8; i++) src[b * 10 + i] = (uint8_t)rnd(); uint16_t h = scale(); memcpy(src + b * 10 + 8, &h, 2); }
        uint8_t *codes = malloc(rows * n / 4); uint16_t *sc = malloc(rows * n / 32 * 2);
        ck_bn32r_pack(src, rows, n, codes); ck_bn32_scales(src, rows * n / 32, sc);
        int8_t *q = malloc(T * n), *qt = malloc(T * n); int32_t *qs = malloc(T * n / 32 * 4);
        for (size_t i = 0; i < T * n; i++) q[i] = (int8_t)rnd();
        for (size_t t = 0; t < T; t++) ck_bn32r_prepare(q + t * n, n, qt + t * n, qs + t * n / 32);
        float s[6] = {3, 4.5f, 7, 1, 2, 9}, ref[42], v[42], g[42];
        for (int p = 0; p < 4; p++) {
            if ((paths[p] & cpu) != paths[p]) continue;
            ck_set_path(paths[p]);
            for (size_t t = 0; t < T; t++) ck_bn32r_i8_gemv_f32(codes, sc, n, 0, rows, q + t * n, s[t], v + t * rows);
            ck_bn32r_i8_gemm_f32(codes, sc, n, 0, rows, q, n, qt, qs, T, s, g, rows);
            if (p == 0) memcpy(ref, v, sizeof ref);
            if (memcmp(v, ref, sizeof ref) || memcmp(g, ref, sizeof ref)) { printf("path %s differs (n %zu)\n", ck_path_name(), n); bad++; }
        }
        ck_set_path(cpu);
        free(src); free(codes); free(sc); free(q); free(qt); free(qs);
    }
    printf("every path equals scalar (gemv and gemm): %s\n", bad ? "NO" : "yes");
    const size_t rows = 6912, n = 2560;
    uint8_t *codes = malloc(rows * n / 4 * copies); uint16_t *sc = malloc(rows * n / 32 * 2 * copies);
    for (size_t i = 0; i < rows * n / 4 * copies; i++) codes[i] = (uint8_t)rnd();
    for (size_t i = 0; i < rows * n / 32 * copies; i++) sc[i] = scale();
    int8_t *q = malloc(n); for (size_t i = 0; i < n; i++) q[i] = (int8_t)rnd();
    float *out = malloc(rows * 4);
    const double bytes = rows * n / 4 + rows * n / 16.0;
    unsigned lv[] = {CK_PATH_SCALAR | CK_PATH_AVX2, CK_PATH_SCALAR | CK_PATH_AVX2 | CK_PATH_AVXVNNI, cpu};
    for (int l = 0; l < 3; l++) {
        if ((lv[l] & cpu) != lv[l]) continue;
        ck_set_path(lv[l]);
        double best = 1e9;
        for (int r = 0; r < 5; r++) {
            double t0 = now_s();
            for (int c = 0; c < copies; c++) ck_bn32r_i8_gemv_f32(codes + c * rows * n / 4, sc + c * rows * n / 32, n, 0, rows, q, 1, out);
            double dt = (now_s() - t0) / copies; if (dt < best) best = dt;
        }
        printf("bn32r gemv %-10s DRAM: %5.1f GB/s codes+scales, %6.1f Gweights/s\n", ck_path_name(), bytes / best / 1e9, rows * n / best / 1e9);
    }
    ck_set_path(cpu);
    double gbs = ck_bench_i2s_gemv(rows, n, copies, 5);
    printf("i2s   gemv %-10s DRAM: %5.1f GB/s,              %6.1f Gweights/s\n", ck_path_name(), gbs, gbs * 4);
    { /* from cache: 96 rows × 6912, 1 and 16 tokens */
        const size_t R = 96, n2 = 6912, T = 16;
        int8_t *q4 = malloc(T * n2), *qt4 = malloc(T * n2); int32_t *qs4 = malloc(T * n2 / 8), *oi = malloc(T * R * 4);
        float s4[16], *o4 = malloc(T * R * 4);
        for (size_t i = 0; i < T * n2; i++) q4[i] = (int8_t)rnd();
        for (size_t t = 0; t < T; t++) { ck_bn32r_prepare(q4 + t * n2, n2, qt4 + t * n2, qs4 + t * n2 / 32); s4[t] = 1; }
        double b1 = 1e9, b16 = 1e9, bi = 1e9;
        for (int r = 0; r < 50; r++) {
            double t0 = now_s(); ck_bn32r_i8_gemm_f32(codes, sc, n2, 0, R, q4, n2, qt4, qs4, 1, s4, o4, R);
            double t1 = now_s(); ck_bn32r_i8_gemm_f32(codes, sc, n2, 0, R, q4, n2, qt4, qs4, T, s4, o4, R);
            double t2 = now_s(); ck_i2s_gemm(codes, n2, 0, R, q4, n2, T, oi, R);
            double t3 = now_s();
            if (t1 - t0 < b1) b1 = t1 - t0; if (t2 - t1 < b16) b16 = t2 - t1; if (t3 - t2 < bi) bi = t3 - t2;
        }
        printf("from cache, %zu×%zu: bn32r 1 token %.1f Gweights/s; 16 tokens bn32r %.1f, i2s %.1f Gweight·tokens/s\n",
               R, n2, R * n2 / b1 / 1e9, R * n2 * T / b16 / 1e9, R * n2 * T / bi / 1e9);
    }
    return bad != 0;
}
HARNESS
clang -O2 -ffp-contract=off -I"$src/include" -I"$src" "$src"/*.c "$work/bench.c" -o "$work/bench" -lpthread -lm
"$work/bench" "${1:-40}"
