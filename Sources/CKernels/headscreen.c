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

static void row_bounds_finish(double k, double z, double ew, double nq, int bad, ck_head_screen_row *out);

#if CK_X86
/* The same quantities in four double lanes: every d_b·q_i and |w_i − d_b·q_i| is the scalar path's value, the maxima
 * are order-free and the two sums of squares keep the scalar path's error bound in any order, so the rounded-up
 * results are as rigorous (they may differ from the scalar path's in the last float place). */
CK_AVX2 static void row_bounds_avx2(const float *wf, const int8_t *codes, const uint16_t *scales, size_t n,
                                    ck_head_screen_row *out) {
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256 fsign = _mm256_set1_ps(-0.0f), big = _mm256_set1_ps(3.40282347e38f);
    __m256d ew = _mm256_setzero_pd(), nq = ew;
    double k = 0, z = 0;
    int bad = 0;
    for (size_t b = 0; b < n / 32 && !bad; b++) {
        const double d = (double)ck_f16_to_f32(scales[b]);
        const float *w = wf + 32 * b;
        __m256 finite = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
        for (int j = 0; j < 4; j++)
            finite = _mm256_and_ps(finite, _mm256_cmp_ps(_mm256_andnot_ps(fsign, _mm256_loadu_ps(w + 8 * j)), big, _CMP_LE_OQ));
        if (!(d >= 0) || isinf(d) || _mm256_movemask_ps(finite) != 0xff) { bad = 1; break; }
        const __m256d vd = _mm256_set1_pd(d);
        __m256d e = _mm256_setzero_pd();
        for (int j = 0; j < 8; j++) {
            const __m256d c = _mm256_cvtepi32_pd(_mm_cvtepi8_epi32(_mm_cvtsi32_si128((int)ck_load_u32(codes + 32 * b + 4 * j))));
            const __m256d dq = _mm256_mul_pd(vd, c);
            const __m256d err = _mm256_andnot_pd(sign, _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(w + 4 * j)), dq));
            e = _mm256_max_pd(e, err);
            ew = _mm256_add_pd(ew, _mm256_mul_pd(err, err));
            nq = _mm256_add_pd(nq, _mm256_mul_pd(dq, dq));
        }
        __m128d h = _mm_max_pd(_mm256_castpd256_pd128(e), _mm256_extractf128_pd(e, 1));
        const double emax = fmax(_mm_cvtsd_f64(h), _mm_cvtsd_f64(_mm_unpackhi_pd(h, h)));
        if (d > 0) { const double r = emax / d * (1 + 0x1p-50); if (r > k) k = r; }
        else if (emax > z) z = emax;
    }
    double a[4], c[4];
    _mm256_storeu_pd(a, ew);
    _mm256_storeu_pd(c, nq);
    row_bounds_finish(k, z, (a[0] + a[1]) + (a[2] + a[3]), (c[0] + c[1]) + (c[2] + c[3]), bad, out);
}
#endif

void ck_head_screen_row_bounds(const float *wf, const int8_t *codes, const uint16_t *scales, size_t n,
                               ck_head_screen_row *out) {
#if CK_X86
    if (ck_avx2()) { row_bounds_avx2(wf, codes, scales, n, out); return; }
#endif
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
    row_bounds_finish(k, z, ew, nq, bad, out);
}

static void row_bounds_finish(double k, double z, double ew, double nq, int bad, ck_head_screen_row *out) {
    /* sums of n squares in double, any order: relative error ≤ (n+1)·2⁻⁵³ < 2⁻³⁰ for n ≤ 32768, then a square root */
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

/* Pass 1: every row's bound, rounded up to float into bf (float rounding of b·(1 + 2⁻²³) stays ≥ b), and
 * m = max_r (a[r] − B_r); *bad when a value is not finite. */
static double scan_pass(const float *a, const float *p, const float *q, const ck_head_screen_row *rb, size_t r0,
                        size_t rows, const ck_head_screen_token *t, double g, float *bf, int *bad) {
    double m = -INFINITY;
    for (size_t r = r0; r < rows; r++) {
        const double b = bound(p[r], q[r], rb + r, t, g), lo = (double)a[r] - b;
        bf[r] = (float)(b * (1 + 0x1p-23));
        if (!(fabs(lo) < INFINITY)) *bad = 1;
        if (lo > m) m = lo;
    }
    return m;
}

#if CK_X86
/* AVX2: four rows at a time, the same operations in the same order as `bound` (no contraction), so the same
 * bounds; then the scalar pass for the last rows % 4. */
CK_AVX2 static double scan_pass_avx2(const float *a, const float *p, const float *q, const ck_head_screen_row *rb,
                                     size_t rows, const ck_head_screen_token *t, double g, float *bf, int *bad) {
    const __m256d x1 = _mm256_set1_pd(t->x1), x2 = _mm256_set1_pd(t->x2), dx2 = _mm256_set1_pd(t->dx2);
    const __m256d gv = _mm256_set1_pd(g), f = _mm256_set1_pd(1 + 8 * g), tiny = _mm256_set1_pd(1e-30);
    const __m256d c128 = _mm256_set1_pd(128), up = _mm256_set1_pd(1 + 0x1p-23), inf = _mm256_set1_pd(INFINITY);
    const __m256d sign = _mm256_set1_pd(-0.0), x2dx2 = _mm256_add_pd(x2, dx2);
    __m256d mv = _mm256_set1_pd(-INFINITY);
    int nf = 0;
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        __m128 k4 = _mm_loadu_ps(&rb[r].kappa), z4 = _mm_loadu_ps(&rb[r + 1].kappa);
        __m128 e4 = _mm_loadu_ps(&rb[r + 2].kappa), n4 = _mm_loadu_ps(&rb[r + 3].kappa);
        _MM_TRANSPOSE4_PS(k4, z4, e4, n4);   /* rows → kappa, zeta, ew, nq of four rows */
        const __m256d kappa = _mm256_cvtps_pd(k4), zeta = _mm256_cvtps_pd(z4);
        const __m256d ew = _mm256_cvtps_pd(e4), nq = _mm256_cvtps_pd(n4);
        const __m256d pv = _mm256_cvtps_pd(_mm_loadu_ps(p + r)), qv = _mm256_cvtps_pd(_mm_loadu_ps(q + r));
        const __m256d zx = _mm256_mul_pd(zeta, x1);
        const __m256d weights = _mm256_min_pd(_mm256_add_pd(_mm256_mul_pd(kappa, pv), zx), _mm256_mul_pd(ew, x2));
        const __m256d acts = _mm256_min_pd(_mm256_mul_pd(c128, qv), _mm256_mul_pd(nq, dx2));
        const __m256d exact_abs = _mm256_min_pd(_mm256_add_pd(_mm256_mul_pd(_mm256_add_pd(c128, kappa), pv), zx),
                                                _mm256_mul_pd(_mm256_add_pd(nq, ew), x2));
        const __m256d int8_abs = _mm256_min_pd(_mm256_mul_pd(c128, _mm256_add_pd(pv, qv)), _mm256_mul_pd(nq, x2dx2));
        const __m256d sum = _mm256_add_pd(_mm256_add_pd(weights, acts), _mm256_mul_pd(gv, _mm256_add_pd(exact_abs, int8_abs)));
        const __m256d b = _mm256_add_pd(_mm256_mul_pd(sum, f), tiny);
        const __m256d lo = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(a + r)), b);
        _mm_storeu_ps(bf + r, _mm256_cvtpd_ps(_mm256_mul_pd(b, up)));
        nf |= _mm256_movemask_pd(_mm256_cmp_pd(_mm256_andnot_pd(sign, lo), inf, _CMP_NLT_UQ));
        mv = _mm256_max_pd(mv, lo);
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, mv);
    double m = fmax(fmax(lanes[0], lanes[1]), fmax(lanes[2], lanes[3]));
    if (nf) *bad = 1;
    const double tail = scan_pass(a, p, q, rb, r, rows, t, g, bf, bad);
    return tail > m ? tail : m;
}
#endif

/* The bounds pass on the path in use: scratch[r] ≥ B_r; returns max_r (a[r] − B_r), *bad on a non-finite value. */
static double bounds_pass(const float *a, const float *p, const float *q, const ck_head_screen_row *rowb, size_t rows,
                          size_t n, const ck_head_screen_token *t, float *scratch, int *bad) {
    const double g = gamma_n(n);
#if CK_X86
    if (ck_avx2()) return scan_pass_avx2(a, p, q, rowb, rows, t, g, scratch, bad);
#endif
    return scan_pass(a, p, q, rowb, 0, rows, t, g, scratch, bad);
}

/* Every r with a[r] + scratch[r] ≥ m into cand, in increasing order; -2 past cap. */
static long collect(const float *a, const float *scratch, size_t rows, double m, int32_t *cand, size_t cap) {
    size_t c = 0;
    for (size_t r = 0; r < rows; r++) {
        if ((double)a[r] + (double)scratch[r] >= m) {
            if (c == cap) return -2;
            cand[c++] = (int32_t)r;
        }
    }
    return (long)c;
}

long ck_head_screen_scan(const float *a, const float *p, const float *q, const ck_head_screen_row *rowb, size_t rows,
                         size_t n, const ck_head_screen_token *t, float *scratch, int32_t *cand, size_t cap) {
    int bad = 0;
    const double m = bounds_pass(a, p, q, rowb, rows, n, t, scratch, &bad);
    return bad ? -1 : collect(a, scratch, rows, m, cand, cap);
}

/* The k-th largest of v[0..n) (k ≥ 1, n ≥ k; v is reordered): quickselect, median of three. */
static float kth_largest(float *v, size_t n, size_t k) {
    size_t lo = 0, hi = n - 1, want = k - 1;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        float x = v[lo], y = v[mid], z = v[hi];
        const float pivot = x > y ? (y > z ? y : (x > z ? z : x)) : (x > z ? x : (y > z ? z : y));
        size_t i = lo, j = hi;
        while (i <= j) {   /* descending: ≥ pivot to the left */
            while (v[i] > pivot) i++;
            while (v[j] < pivot) j--;
            if (i <= j) { const float t = v[i]; v[i] = v[j]; v[j] = t; i++; if (j == 0) break; j--; }
        }
        if (want <= j) hi = j;
        else if (want >= i) lo = i;
        else return v[want];
    }
    return v[want];
}

long ck_head_screen_scan_topk(const float *a, const float *p, const float *q, const ck_head_screen_row *rowb, size_t rows,
                              size_t n, const ck_head_screen_token *t, size_t k, float *scratch, float *lower,
                              int32_t *cand, size_t cap) {
    if (k == 0 || k > rows) return -1;
    int bad = 0;
    (void)bounds_pass(a, p, q, rowb, rows, n, t, scratch, &bad);
    if (bad) return -1;
    /* lower[r] ≤ a[r] − B_r ≤ the exact logit: the difference in double, to float, then one step down */
    for (size_t r = 0; r < rows; r++) lower[r] = nextafterf((float)((double)a[r] - (double)scratch[r]), -INFINITY);
    const float mk = kth_largest(lower, rows, k);
    if (!(fabsf(mk) < INFINITY)) return -1;
    /* k rows have an exact logit ≥ mk; a row whose a[r] + B_r is below it cannot be among the k largest. The slack
     * covers the rounding of the sum in double. */
    return collect(a, scratch, rows, (double)mk - fabs((double)mk) * 0x1p-40 - 1e-30, cand, cap);
}
