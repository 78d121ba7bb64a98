// AVX2 versions of the decoding kernels (8 lanes; F16C for F16), for CPUs without AVX-512.
#if defined(__x86_64__)
#include "kernels.h"
#include "internal.h"
#include <immintrin.h>
#include <math.h>

#define AVX2 __attribute__((target("avx2,fma,f16c")))
#define INLINE_AVX2 static inline __attribute__((always_inline, target("avx2,fma,f16c")))

INLINE_AVX2 __m256 widen8(const uint16_t *p, int isF16) {
    __m128i h = _mm_loadu_si128((const __m128i *)p);
    if (isF16) return _mm256_cvtph_ps(h);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

INLINE_AVX2 float widen1(uint16_t h, int isF16) {
    if (isF16) return _cvtsh_ss(h);
    union { uint32_t u; float f; } v = { (uint32_t)h << 16 };
    return v.f;
}

INLINE_AVX2 void half_tile(const uint16_t *w, int isF16, int k, int o, int NO, const float *x, int ldx, int NR,
                           float *y, int ldy, int accumulate) {
    __m256 acc[4][4];
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) acc[j][r] = _mm256_setzero_ps();
    const uint16_t *row[4];
    for (int j = 0; j < NO; j++) row[j] = w + (size_t)(o + j) * k;
    int i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256 xv[4];
        for (int r = 0; r < NR; r++) xv[r] = _mm256_loadu_ps(x + (size_t)r * ldx + i);
        if (i % 32 == 0)  // once per 64-byte line
            for (int j = 0; j < NO; j++) FC_TILE_PREFETCH(row[0], i / 32, NO, j, 64);
        for (int j = 0; j < NO; j++) {
            __m256 wv = widen8(row[j] + i, isF16);
            for (int r = 0; r < NR; r++) acc[j][r] = _mm256_fmadd_ps(wv, xv[r], acc[j][r]);
        }
    }
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) {
            float sum = fc_hsum8(acc[j][r]);
            for (int t = i; t < k; t++) sum += widen1(row[j][t], isF16) * x[(size_t)r * ldx + t];
            fc_store(y + (size_t)r * ldy + o + j, sum, accumulate);
        }
}

#define HALF(NO, NR) half_tile(w, isF16, k, o, NO, xr, ldx, NR, yr, ldy, accumulate)

// One activation row: one weight row after the other, one sequential stream (see avx512.c).
INLINE_AVX2 void half_row(const uint16_t *w, int isF16, int k, const float *x, float *y, int accumulate) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int i = 0;
    for (; i + 32 <= k; i += 32) {
        FC_PREFETCH(w + i);
        a0 = _mm256_fmadd_ps(widen8(w + i, isF16), _mm256_loadu_ps(x + i), a0);
        a1 = _mm256_fmadd_ps(widen8(w + i + 8, isF16), _mm256_loadu_ps(x + i + 8), a1);
        a2 = _mm256_fmadd_ps(widen8(w + i + 16, isF16), _mm256_loadu_ps(x + i + 16), a2);
        a3 = _mm256_fmadd_ps(widen8(w + i + 24, isF16), _mm256_loadu_ps(x + i + 24), a3);
    }
    for (; i + 8 <= k; i += 8) a0 = _mm256_fmadd_ps(widen8(w + i, isF16), _mm256_loadu_ps(x + i), a0);
    float sum = fc_hsum8(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    for (; i < k; i++) sum += widen1(w[i], isF16) * x[i];
    fc_store(y, sum, accumulate);
}

// 16 vector registers: 4 outputs x 3 rows of accumulators leave room for the operands.
// Inlined twice below, so the BF16/F16 choice is made once per call, not per vector.
INLINE_AVX2 void half_range(FC_MATVEC_ARGS) {
    if (rows == 1) { FC_HALF_ROWS(half_row); return; }
    FC_FOR_TILES(3, HALF)
}

AVX2 void fc_half_matvec_avx2(FC_MATVEC_ARGS) {
    if (isF16) half_range(w, 1, k, o0, o1, x, ldx, rows, y, ldy, accumulate);
    else half_range(w, 0, k, o0, o1, x, ldx, rows, y, ldy, accumulate);
}

INLINE_AVX2 __m256 q8_widen8(const int8_t *q) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)q)));
}

INLINE_AVX2 void q8_tile(const int8_t *qs, const uint16_t *scales, int k, int o, int NO, const float *x, int ldx, int NR,
                         float *y, int ldy, int accumulate) {
    int blocks = (k + 31) / 32, full = k / 32;
    size_t rowBytes = fc_q8_row_bytes(k);
    __m256 acc[4][4];
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) acc[j][r] = _mm256_setzero_ps();
    for (int b = 0; b < full; b++) {
        int i = b * 32;
        for (int j = 0; j < NO; j++) {
            const int8_t *q = qs + (size_t)(o + j) * rowBytes + i;
            FC_PREFETCH(q);
            __m256 d = _mm256_set1_ps(_cvtsh_ss(scales[(size_t)(o + j) * blocks + b]));
            for (int part = 0; part < 4; part++) {
                __m256 wv = _mm256_mul_ps(d, q8_widen8(q + 8 * part));
                for (int r = 0; r < NR; r++)
                    acc[j][r] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + (size_t)r * ldx + i + 8 * part), acc[j][r]);
            }
        }
    }
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) {
            float sum = fc_hsum8(acc[j][r]);
            if (full < blocks) {
                const int8_t *q = qs + (size_t)(o + j) * rowBytes;
                float block = 0;
                for (int t = full * 32; t < k; t++) block += (float)q[t] * x[(size_t)r * ldx + t];
                sum += _cvtsh_ss(scales[(size_t)(o + j) * blocks + full]) * block;
            }
            fc_store(y + (size_t)r * ldy + o + j, sum, accumulate);
        }
}

#define Q8(NO, NR) q8_tile(qs, scales, k, o, NO, xr, ldx, NR, yr, ldy, accumulate)

// One activation row: one weight row at a time, one sequential stream; a block's products are
// summed before its scale multiplies them.
INLINE_AVX2 void q8_row(const int8_t *q, const uint16_t *scale, int k, const float *x, float *y, int accumulate) {
    int full = k / 32;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0;
    for (int b = 0; b < full; b++) {
        int i = b * 32;
        __m256 t0 = _mm256_mul_ps(q8_widen8(q + i), _mm256_loadu_ps(x + i));
        __m256 t1 = _mm256_mul_ps(q8_widen8(q + i + 8), _mm256_loadu_ps(x + i + 8));
        t0 = _mm256_fmadd_ps(q8_widen8(q + i + 16), _mm256_loadu_ps(x + i + 16), t0);
        t1 = _mm256_fmadd_ps(q8_widen8(q + i + 24), _mm256_loadu_ps(x + i + 24), t1);
        __m256 d = _mm256_set1_ps(_cvtsh_ss(scale[b]));
        a0 = _mm256_fmadd_ps(d, t0, a0);
        a1 = _mm256_fmadd_ps(d, t1, a1);
    }
    float sum = fc_hsum8(_mm256_add_ps(a0, a1));
    if (full * 32 < k) {
        float block = 0;
        for (int t = full * 32; t < k; t++) block += (float)q[t] * x[t];
        sum += _cvtsh_ss(scale[full]) * block;
    }
    fc_store(y, sum, accumulate);
}

AVX2 void fc_q8_matvec_avx2(FC_Q8_ARGS) {
    if (rows == 1) { FC_Q8_ROWS(q8_row); return; }
    FC_FOR_TILES(3, Q8)
}

// 8-bit weights times 8-bit activations, one row. maddubs multiplies unsigned by signed bytes, so
// each pair is |x| times w with x's sign moved onto w; pairs of products (at most 2 x 127 x 127)
// fit int16 without saturating, since neither side is ever -128.
INLINE_AVX2 __m256 q8q8_block(const int8_t *q, const int8_t *xq, float scale, __m256 acc) {
    FC_PREFETCH(q);
    __m256i w = _mm256_loadu_si256((const __m256i *)q), x = _mm256_loadu_si256((const __m256i *)xq);
    __m256i pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(w, x));
    __m256i dots = _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(dots), _mm256_set1_ps(scale), acc);
}

AVX2 void fc_q8_matvec_q8_avx2(FC_Q8Q8_ARGS) {
    FC_Q8Q8_WALK(__m256, _mm256_setzero_ps(), _mm256_add_ps, fc_hsum8, q8q8_block);
}

AVX2 float fc_read_sum_avx2(const void *p, size_t bytes) {
    const float *f = p;
    size_t n = bytes / 32 * 8;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_add_ps(s0, _mm256_loadu_ps(f + i));
        s1 = _mm256_add_ps(s1, _mm256_loadu_ps(f + i + 8));
        s2 = _mm256_add_ps(s2, _mm256_loadu_ps(f + i + 16));
        s3 = _mm256_add_ps(s3, _mm256_loadu_ps(f + i + 24));
    }
    for (; i < n; i += 8) s0 = _mm256_add_ps(s0, _mm256_loadu_ps(f + i));
    return fc_hsum8(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}
// Exact GELU, 0.5 x (1 + erf(x / sqrt 2)), 8 values per call of glibc's vector erff (libmvec), which
// is within 2 ulp of erff and several times faster; the tail takes erff itself.
__attribute__((target("avx2"))) __m256 _ZGVdN8v_erff(__m256);

AVX2 void fc_gelu_avx2(float *x, size_t n) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f), invSqrt2 = _mm256_set1_ps(0.70710678118654752440f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 e = _ZGVdN8v_erff(_mm256_mul_ps(v, invSqrt2));
        _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e)));
    }
    fc_gelu_generic(x + i, n - i);
}
// Softmax of one row in place, 8 values per call of glibc's vector expf (libmvec); the tail takes
// expf itself. See fc_softmax_avx512.
__attribute__((target("avx2"))) __m256 _ZGVdN8v_expf(__m256);

AVX2 void fc_softmax_avx2(float *x, size_t n) {
    if (n < 8) { fc_softmax_generic(x, n); return; }
    __m256 top = _mm256_loadu_ps(x);
    size_t i = 8;
    for (; i + 8 <= n; i += 8) top = _mm256_max_ps(top, _mm256_loadu_ps(x + i));
    float lanes[8];
    _mm256_storeu_ps(lanes, top);
    float maxValue = lanes[0];
    for (int j = 1; j < 8; j++) maxValue = lanes[j] > maxValue ? lanes[j] : maxValue;
    for (; i < n; i++) maxValue = x[i] > maxValue ? x[i] : maxValue;
    const __m256 mv = _mm256_set1_ps(maxValue);
    __m256 sum = _mm256_setzero_ps();
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 e = _ZGVdN8v_expf(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv));
        _mm256_storeu_ps(x + i, e);
        sum = _mm256_add_ps(sum, e);
    }
    float total = fc_hsum8(sum);
    for (; i < n; i++) { x[i] = expf(x[i] - maxValue); total += x[i]; }
    const float inv = 1.0f / total;
    const __m256 invs = _mm256_set1_ps(inv);
    for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), invs));
    for (; i < n; i++) x[i] *= inv;
}
// LayerNorm of one row, sums in 8 lanes; the tail of a row takes the scalar steps. See fc_layernorm_avx512.
AVX2 void fc_layernorm_avx2(const float *x, float *y, size_t n, const float *gamma, const float *beta, float eps) {
    size_t body = n / 8 * 8;
    __m256 s = _mm256_setzero_ps();
    for (size_t i = 0; i < body; i += 8) s = _mm256_add_ps(s, _mm256_loadu_ps(x + i));
    float total = fc_hsum8(s);
    for (size_t i = body; i < n; i++) total += x[i];
    const float mean = total / (float)n;
    const __m256 mv = _mm256_set1_ps(mean);
    __m256 v = _mm256_setzero_ps();
    for (size_t i = 0; i < body; i += 8) { __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + i), mv); v = _mm256_add_ps(v, _mm256_mul_ps(d, d)); }
    float squares = fc_hsum8(v);
    for (size_t i = body; i < n; i++) { float d = x[i] - mean; squares += d * d; }
    const float invScalar = 1.0f / sqrtf(squares / (float)n + eps);
    const __m256 inv = _mm256_set1_ps(invScalar);
    for (size_t i = 0; i < body; i += 8) {
        __m256 out = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv), inv);
        if (gamma) out = _mm256_mul_ps(out, _mm256_loadu_ps(gamma + i));
        if (beta) out = _mm256_add_ps(out, _mm256_loadu_ps(beta + i));
        _mm256_storeu_ps(y + i, out);
    }
    for (size_t i = body; i < n; i++) {
        float out = (x[i] - mean) * invScalar;
        if (gamma) out *= gamma[i];
        if (beta) out += beta[i];
        y[i] = out;
    }
}
#endif
