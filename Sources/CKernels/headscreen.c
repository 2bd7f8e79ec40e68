/* `--head screened`: the int8 head (headq8.c) with a rigorous per-row error bound, so that greedy decoding needs the
 * exact (file's float) dot only for the rows that can still be the argmax. The math is in docs/kernels.md
 * ("Screened output head"); in short, per row r with Q8_0 weights d_b·q_i of the float weights w_i and the exact
 * kernel's activation x_i (Q8_0 form e_b·qx_i):
 *   |L̂_r − Â_r| ≤ B_r = F·[κ_r·P_r + ζ_r·X1 + 128·Q_r + γ·((256 + κ_r)·P_r + 128·Q_r + ζ_r·X1)] + 1e-30
 * with P_r = Σ_b d_b·X1_b, Q_r = Σ_b d_b·δ_b (X1_b = Σ_{i∈b}|x_i|, δ_b = Σ_{i∈b}|x_i − e_b·qx_i|, X1 = Σ_b X1_b),
 * κ_r = max over blocks with d_b > 0 of max_i |w_i − d_b·q_i| / d_b, ζ_r = max |w_i| over blocks with d_b = 0,
 * γ = (n+16)·2⁻²⁴ / (1 − (n+16)·2⁻²⁴), F = 1 + 8γ. */
#include "ck_internal.h"
#include <math.h>

/* float ≥ v (v ≥ 0, finite): v rounded to float, one step up when rounding went down. */
static float up_f32(double v) {
    float f = (float)v;
    if ((double)f < v) f = nextafterf(f, INFINITY);
    return f;
}

void ck_head_screen_row_bounds(const float *wf, const int8_t *codes, const uint16_t *scales, size_t n, float *kappa,
                               float *zeta) {
    double k = 0, z = 0;
    int bad = 0;
    for (size_t b = 0; b < n / 32; b++) {
        const double d = (double)ck_f16_to_f32(scales[b]);
        if (!(d >= 0) || isinf(d)) { bad = 1; break; }
        double e = 0;
        for (size_t i = b * 32; i < b * 32 + 32; i++) {
            if (!isfinite(wf[i])) { bad = 1; break; }
            const double err = fabs((double)wf[i] - d * (double)codes[i]);   /* exact: f16 × int8 and f16/f32 − it */
            if (err > e) e = err;
        }
        if (bad) break;
        if (d > 0) { const double r = e / d * (1 + 0x1p-50); if (r > k) k = r; }
        else if (e > z) z = e;                     /* d_b = 0: every d_b·q_i is 0, e = max |w_i| */
    }
    *kappa = bad ? INFINITY : up_f32(k);
    *zeta = bad ? INFINITY : up_f32(z);
}

int ck_head_screen_act(const float *xe, const ck_block_q8_0 *y, size_t n, float *x1b, float *db, double *x1) {
    double total = 0;
    for (size_t b = 0; b < n / 32; b++) {
        const double e = (double)ck_f16_to_f32(y[b].d);
        double s = 0, t = 0;
        for (int i = 0; i < 32; i++) {
            const double v = (double)xe[b * 32 + i];
            s += fabs(v);
            t += fabs(v - e * (double)y[b].qs[i]);
        }
        if (!isfinite(s) || !isfinite(t)) return 0;
        /* double sums of 32 terms: relative error ≤ 32·2⁻⁵³, covered by rounding up one float step */
        x1b[b] = up_f32(s * (1 + 0x1p-45));
        db[b] = up_f32(t * (1 + 0x1p-45));
        if (isinf(x1b[b]) || isinf(db[b])) return 0;
        total += (double)x1b[b];
    }
    *x1 = total * (1 + 0x1p-40);
    return 1;
}

static inline double gamma_n(size_t n) {
    const double g = (double)(n + 16) * 0x1p-24;
    return g / (1 - g);
}

static inline double bound(double p, double q, double kappa, double zeta, double x1, double g) {
    const double core = kappa * p + zeta * x1 + 128 * q;
    const double slack = g * ((256 + kappa) * p + 128 * q + zeta * x1);
    return (core + slack) * (1 + 8 * g) + 1e-30;
}

double ck_head_screen_bound(float p, float q, float kappa, float zeta, size_t n, double x1) {
    return bound(p, q, kappa, zeta, x1, gamma_n(n));
}

long ck_head_screen_scan(const float *a, const float *p, const float *q, const float *kappa, const float *zeta,
                         size_t rows, size_t n, double x1, int32_t *cand, size_t cap) {
    const double g = gamma_n(n);
    double m = -INFINITY;
    for (size_t r = 0; r < rows; r++) {
        const double b = bound(p[r], q[r], kappa[r], zeta[r], x1, g), lo = (double)a[r] - b;
        if (!isfinite(lo)) return -1;
        if (lo > m) m = lo;
    }
    size_t c = 0;
    for (size_t r = 0; r < rows; r++) {
        if ((double)a[r] + bound(p[r], q[r], kappa[r], zeta[r], x1, g) >= m) {
            if (c == cap) return -2;
            cand[c++] = (int32_t)r;
        }
    }
    return (long)c;
}
