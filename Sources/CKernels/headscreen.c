/* `--head screened`: the int8 head (headq8.c) with a rigorous per-row error bound, so that greedy decoding needs the
 * exact (file's float) dot only for the rows that can still be the argmax. The math is in docs/kernels.md
 * ("Screened output head"); in short, per row r with Q8_0 weights d_b·q_i of the float weights w_i and the exact
 * kernel's activation x_i (Q8_0 form e_b·qx_i):
 *   L̂_r − Â_r = Σ (w_i − d_b q_i)·x_i + Σ d_b q_i·(x_i − e_b qx_i) + (rounding of both kernels)
 *   |first| ≤ min(κ_r·P_r + ζ_r·X1, ‖w − dq‖₂·‖x‖₂),  |second| ≤ min(128·Q_r, ‖dq‖₂·‖x − e·qx‖₂)
 * with P_r = Σ_b d_b·X1_b, Q_r = Σ_b d_b·δ_b (X1_b = Σ_{i∈b}|x_i|, δ_b = Σ_{i∈b}|x_i − e_b·qx_i|, X1 = Σ_b X1_b),
 * κ_r = max over blocks with d_b > 0 of max_i |w_i − d_b·q_i| / d_b, ζ_r = max |w_i| over blocks with d_b = 0;
 * rounding ≤ γ·(Σ|w_i x_i| + Σ|d_b q_i|·|e_b qx_i|), γ = (n+16)·2⁻²⁴ / (1 − (n+16)·2⁻²⁴); the whole × (1 + 8γ)
 * for the float sums of P, Q and the double arithmetic here, + 1e-30 for underflow. */
#include "ck_internal.h"
#include <math.h>

/* float ≥ v (v ≥ 0, finite): v rounded to float, one step up when rounding went down. */
static float up_f32(double v) {
    float f = (float)v;
    if ((double)f < v) f = nextafterf(f, INFINITY);
    return f;
}

void ck_head_screen_row_bounds(const float *wf, const int8_t *codes, const uint16_t *scales, size_t n,
                               ck_head_screen_row *out) {
    double k = 0, z = 0, ew = 0, nq = 0;
    int bad = 0;
    for (size_t b = 0; b < n / 32 && !bad; b++) {
        const double d = (double)ck_f16_to_f32(scales[b]);
        if (!(d >= 0) || isinf(d)) { bad = 1; break; }
        double e = 0;
        for (size_t i = b * 32; i < b * 32 + 32; i++) {
            if (!isfinite(wf[i])) { bad = 1; break; }
            const double dq = d * (double)codes[i];                            /* exact: f16 × int8 */
            const double err = fabs((double)wf[i] - dq);                       /* ≤ 2⁻⁵³ relative, see kappa */
            if (err > e) e = err;
            ew += err * err;
            nq += dq * dq;
        }
        if (d > 0) { const double r = e / d * (1 + 0x1p-50); if (r > k) k = r; }
        else if (e > z) z = e;                     /* d_b = 0: every d_b·q_i is 0, e = max |w_i| */
    }
    /* sums of n squares in double: relative error ≤ (n+1)·2⁻⁵³ < 2⁻³⁰ for n ≤ 32768, then a square root */
    out->kappa = bad ? INFINITY : up_f32(k);
    out->zeta = bad ? INFINITY : up_f32(z);
    out->ew = bad ? INFINITY : up_f32(sqrt(ew * (1 + 0x1p-29)));
    out->nq = bad ? INFINITY : up_f32(sqrt(nq * (1 + 0x1p-29)));
}

int ck_head_screen_act(const float *xe, const ck_block_q8_0 *y, size_t n, float *x1b, float *db, ck_head_screen_token *t) {
    double total = 0, x2 = 0, dx2 = 0;
    for (size_t b = 0; b < n / 32; b++) {
        const double e = (double)ck_f16_to_f32(y[b].d);
        double s = 0, u = 0;
        for (int i = 0; i < 32; i++) {
            const double v = (double)xe[b * 32 + i], dv = v - e * (double)y[b].qs[i];   /* exact in double */
            s += fabs(v);
            u += fabs(dv);
            x2 += v * v;
            dx2 += dv * dv;
        }
        if (!isfinite(s) || !isfinite(u)) return 0;
        /* double sums of 32 terms: relative error ≤ 32·2⁻⁵³, covered by the factor and rounding up */
        x1b[b] = up_f32(s * (1 + 0x1p-45));
        db[b] = up_f32(u * (1 + 0x1p-45));
        if (isinf(x1b[b]) || isinf(db[b])) return 0;
        total += (double)x1b[b];
    }
    t->x1 = total * (1 + 0x1p-40);
    t->x2 = sqrt(x2 * (1 + 0x1p-29)) * (1 + 0x1p-50);
    t->dx2 = sqrt(dx2 * (1 + 0x1p-29)) * (1 + 0x1p-50);
    return isfinite(t->x2) && isfinite(t->dx2);
}

static inline double gamma_n(size_t n) {
    const double g = (double)(n + 16) * 0x1p-24;
    return g / (1 - g);
}

/* B_r: each error term bounded two ways (block sums through P, Q; Cauchy-Schwarz through the row's norms), the
 * smaller taken; then the float rounding of both kernels. */
static inline double bound(double p, double q, const ck_head_screen_row *w, const ck_head_screen_token *t, double g) {
    const double kappa = w->kappa, zeta = w->zeta, ew = w->ew, nq = w->nq;
    const double weights = fmin(kappa * p + zeta * t->x1, ew * t->x2);          /* |Σ (w_i − d_b q_i)·x_i| */
    const double acts = fmin(128 * q, nq * t->dx2);                             /* |Σ d_b q_i·(x_i − e_b qx_i)| */
    const double exact_abs = fmin((128 + kappa) * p + zeta * t->x1, (nq + ew) * t->x2);   /* Σ |w_i x_i| */
    const double int8_abs = fmin(128 * (p + q), nq * (t->x2 + t->dx2));         /* Σ |d_b q_i|·|e_b qx_i| */
    return (weights + acts + g * (exact_abs + int8_abs)) * (1 + 8 * g) + 1e-30;
}

double ck_head_screen_bound(float p, float q, const ck_head_screen_row *row, size_t n, const ck_head_screen_token *t) {
    return bound(p, q, row, t, gamma_n(n));
}

long ck_head_screen_scan(const float *a, const float *p, const float *q, const ck_head_screen_row *rowb, size_t rows,
                         size_t n, const ck_head_screen_token *t, int32_t *cand, size_t cap) {
    const double g = gamma_n(n);
    double m = -INFINITY;
    for (size_t r = 0; r < rows; r++) {
        const double lo = (double)a[r] - bound(p[r], q[r], rowb + r, t, g);
        if (!isfinite(lo)) return -1;
        if (lo > m) m = lo;
    }
    size_t c = 0;
    for (size_t r = 0; r < rows; r++) {
        if ((double)a[r] + bound(p[r], q[r], rowb + r, t, g) >= m) {
            if (c == cap) return -2;
            cand[c++] = (int32_t)r;
        }
    }
    return (long)c;
}
