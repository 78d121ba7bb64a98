// AVX-512 kernels for decoding: a few activation rows against half or 8-bit weights, bound by
// reading the weights once. Weights are widened in registers (16 per instruction) and multiplied
// in F32, so results equal the generic F32 arithmetic up to summation order.
#if defined(__x86_64__)
#include "kernels.h"
#include "internal.h"
#include <immintrin.h>
#include <math.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,fma,f16c")))
#define INLINE_AVX512 static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vl,fma,f16c")))

INLINE_AVX512 __m512 widen16(const uint16_t *p, int isF16) {
    __m256i h = _mm256_loadu_si256((const __m256i *)p);
    if (isF16) return _mm512_cvtph_ps(h);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

INLINE_AVX512 __m512 widen16_masked(const uint16_t *p, int isF16, __mmask16 m) {
    __m256i h = _mm256_maskz_loadu_epi16(m, p);
    if (isF16) return _mm512_cvtph_ps(h);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

// NO outputs x NR rows of accumulators; both compile-time constants after inlining. Up to five
// rows, beam search's default, in one tile (20 accumulators, 5 activations and a weight fill 26 of
// the 32 registers): each weight is widened once per step, where four rows and then the fifth
// widened it twice. C driver, OPT-2.7B's layers, five rows, two Zen 4 cores: 201 -> 166 ms a step
// (1.81x -> 1.48x a paired plain read), every output bit unchanged.
INLINE_AVX512 void half_tile(const uint16_t *w, int isF16, int k, int o, int NO, const float *x, int ldx, int NR,
                             float *y, int ldy, int accumulate) {
    __m512 acc[4][5];
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) acc[j][r] = _mm512_setzero_ps();
    const uint16_t *row[4];
    for (int j = 0; j < NO; j++) row[j] = w + (size_t)(o + j) * k;
    int i = 0;
    for (; i + 16 <= k; i += 16) {
        __m512 xv[5];
        for (int r = 0; r < NR; r++) xv[r] = _mm512_loadu_ps(x + (size_t)r * ldx + i);
        for (int j = 0; j < NO; j++) FC_TILE_PREFETCH(row[0], i / 16, NO, j, 32);
        for (int j = 0; j < NO; j++) {
            __m512 wv = widen16(row[j] + i, isF16);
            for (int r = 0; r < NR; r++) acc[j][r] = _mm512_fmadd_ps(wv, xv[r], acc[j][r]);
        }
    }
    if (i < k) {
        __mmask16 m = (__mmask16)((1u << (k - i)) - 1);
        __m512 xv[5];
        for (int r = 0; r < NR; r++) xv[r] = _mm512_maskz_loadu_ps(m, x + (size_t)r * ldx + i);
        for (int j = 0; j < NO; j++) {
            __m512 wv = widen16_masked(row[j] + i, isF16, m);
            for (int r = 0; r < NR; r++) acc[j][r] = _mm512_fmadd_ps(wv, xv[r], acc[j][r]);
        }
    }
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) fc_store(y + (size_t)r * ldy + o + j, _mm512_reduce_add_ps(acc[j][r]), accumulate);
}

#define HALF(NO, NR) half_tile(w, isF16, k, o, NO, xr, ldx, NR, yr, ldy, accumulate)

// One activation row (greedy decoding): one weight row after the other, so the weights are read as
// one sequential stream (a matrix's rows are contiguous). The four-output tile above reads four
// streams at once; with two cores streaming, that measured about 15% slower (Zen 4), one stream
// reaching the plain read's bandwidth. Four accumulators hide the FMA latency instead.
INLINE_AVX512 void half_row(const uint16_t *w, int isF16, int k, const float *x, float *y, int accumulate) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int i = 0;
    for (; i + 64 <= k; i += 64) {
        FC_PREFETCH(w + i);
        FC_PREFETCH(w + i + 32);
        a0 = _mm512_fmadd_ps(widen16(w + i, isF16), _mm512_loadu_ps(x + i), a0);
        a1 = _mm512_fmadd_ps(widen16(w + i + 16, isF16), _mm512_loadu_ps(x + i + 16), a1);
        a2 = _mm512_fmadd_ps(widen16(w + i + 32, isF16), _mm512_loadu_ps(x + i + 32), a2);
        a3 = _mm512_fmadd_ps(widen16(w + i + 48, isF16), _mm512_loadu_ps(x + i + 48), a3);
    }
    for (; i + 16 <= k; i += 16) a0 = _mm512_fmadd_ps(widen16(w + i, isF16), _mm512_loadu_ps(x + i), a0);
    if (i < k) {
        __mmask16 m = (__mmask16)((1u << (k - i)) - 1);
        a1 = _mm512_fmadd_ps(widen16_masked(w + i, isF16, m), _mm512_maskz_loadu_ps(m, x + i), a1);
    }
    fc_store(y, _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3))), accumulate);
}

// Inlined twice below, so the BF16/F16 choice is made once per call, not per vector.
INLINE_AVX512 void half_range(FC_MATVEC_ARGS) {
    if (rows == 1) { FC_HALF_ROWS(half_row); return; }
    FC_FOR_TILES(5, HALF)
}

AVX512 void fc_half_matvec_avx512(FC_MATVEC_ARGS) {
    if (isF16) half_range(w, 1, k, o0, o1, x, ldx, rows, y, ldy, accumulate);
    else half_range(w, 0, k, o0, o1, x, ldx, rows, y, ldy, accumulate);
}

// --- 8-bit weights ---

INLINE_AVX512 void q8_tile(const int8_t *qs, const uint16_t *scales, int k, int o, int NO, const float *x, int ldx, int NR,
                           float *y, int ldy, int accumulate) {
    int blocks = (k + 31) / 32, full = k / 32;
    size_t rowBytes = fc_q8_row_bytes(k);
    __m512 acc[4][4];
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) acc[j][r] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        int i = b * 32;
        __m512 x0[4], x1[4];
        if (b < full) {
            for (int r = 0; r < NR; r++) {
                x0[r] = _mm512_loadu_ps(x + (size_t)r * ldx + i);
                x1[r] = _mm512_loadu_ps(x + (size_t)r * ldx + i + 16);
            }
        } else {
            // Last, partial block: lanes past k read as zero (the padded weights there are zero too).
            int left = k - i;
            __mmask16 m0 = (__mmask16)(left >= 16 ? 0xFFFF : (1u << left) - 1);
            __mmask16 m1 = (__mmask16)(left <= 16 ? 0 : (1u << (left - 16)) - 1);
            for (int r = 0; r < NR; r++) {
                x0[r] = _mm512_maskz_loadu_ps(m0, x + (size_t)r * ldx + i);
                x1[r] = _mm512_maskz_loadu_ps(m1, x + (size_t)r * ldx + i + 16);
            }
        }
        for (int j = 0; j < NO; j++) {
            const int8_t *q = qs + (size_t)(o + j) * rowBytes + i;
            FC_PREFETCH(q);
            __m512 d = _mm512_set1_ps(_cvtsh_ss(scales[(size_t)(o + j) * blocks + b]));
            __m512 w0 = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)q))));
            __m512 w1 = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + 16)))));
            for (int r = 0; r < NR; r++) {
                acc[j][r] = _mm512_fmadd_ps(w0, x0[r], acc[j][r]);
                acc[j][r] = _mm512_fmadd_ps(w1, x1[r], acc[j][r]);
            }
        }
    }
    for (int j = 0; j < NO; j++)
        for (int r = 0; r < NR; r++) fc_store(y + (size_t)r * ldy + o + j, _mm512_reduce_add_ps(acc[j][r]), accumulate);
}

#define Q8(NO, NR) q8_tile(qs, scales, k, o, NO, xr, ldx, NR, yr, ldy, accumulate)

// One activation row: one weight row at a time, as one sequential stream (see half_row). A block's
// 32 products are summed before its scale multiplies them: one multiply per block, not per vector.
INLINE_AVX512 void q8_row(const int8_t *q, const uint16_t *scale, int k, const float *x, float *y, int accumulate) {
    int blocks = (k + 31) / 32, full = k / 32;
    __m512 a0 = _mm512_setzero_ps(), a1 = a0;
    int b = 0;
    for (; b + 2 <= full; b += 2) {
        int i = b * 32;
        __m512 t0 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + i)))),
                                  _mm512_loadu_ps(x + i));
        __m512 t1 = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + i + 32)))),
                                  _mm512_loadu_ps(x + i + 32));
        t0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + i + 16)))),
                             _mm512_loadu_ps(x + i + 16), t0);
        t1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + i + 48)))),
                             _mm512_loadu_ps(x + i + 48), t1);
        a0 = _mm512_fmadd_ps(_mm512_set1_ps(_cvtsh_ss(scale[b])), t0, a0);
        a1 = _mm512_fmadd_ps(_mm512_set1_ps(_cvtsh_ss(scale[b + 1])), t1, a1);
    }
    for (; b < blocks; b++) {
        // Lanes past k read as zero (the padded weights there are zero too).
        int i = b * 32, left = k - i;
        __mmask16 m0 = (__mmask16)(left >= 16 ? 0xFFFF : (1u << left) - 1);
        __mmask16 m1 = (__mmask16)(left >= 32 ? 0xFFFF : left <= 16 ? 0 : (1u << (left - 16)) - 1);
        __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + i)))),
                                 _mm512_maskz_loadu_ps(m0, x + i));
        t = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(q + i + 16)))),
                            _mm512_maskz_loadu_ps(m1, x + i + 16), t);
        a0 = _mm512_fmadd_ps(_mm512_set1_ps(_cvtsh_ss(scale[b])), t, a0);
    }
    fc_store(y, _mm512_reduce_add_ps(_mm512_add_ps(a0, a1)), accumulate);
}

AVX512 void fc_q8_matvec_avx512(FC_Q8_ARGS) {
    if (rows == 1) { FC_Q8_ROWS(q8_row); return; }
    FC_FOR_TILES(4, Q8)
}

// 8-bit weights times 8-bit activations, one row, with AVX512-VNNI's vpdpbusd (64 byte products
// summed into 16 int32 lanes per instruction): two blocks per 512-bit vector. vpdpbusd multiplies
// unsigned by signed bytes, so each block is |x| times w with x's sign moved onto w, as the AVX2
// kernel does; |x| and the sign masks belong to the activation row alone and are made once per call
// here, leaving one masked subtract per two blocks. Each block's integer dot is exact; the 16 F16
// weight scales of 16 blocks are widened and multiplied by the activation scales in one go, and
// each pair of blocks takes its two scales with one permute. Against the 256-bit kernel (one block
// per instruction, scalar scale arithmetic per block) this kept 0.94 of a plain read's pace instead
// of 0.87 (median of 14 paired runs over OPT-2.7B's layers, 2-core Zen 4).
#define VNNI __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))
#define INLINE_VNNI static inline __attribute__((always_inline, target("avx2,avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))

enum { VNNI_MAX_K = 16384 };

INLINE_VNNI __m256 q8q8_block_vnni(const int8_t *q, const int8_t *xq, float scale, __m256 acc) {
    __m256i w = _mm256_loadu_si256((const __m256i *)q), x = _mm256_loadu_si256((const __m256i *)xq);
    __m256i dots = _mm256_dpbusd_epi32(_mm256_setzero_si256(), _mm256_sign_epi8(x, x), _mm256_sign_epi8(w, x));
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(dots), _mm256_set1_ps(scale), acc);
}

VNNI void fc_q8_matvec_q8_vnni(FC_Q8Q8_ARGS) {
    if (k > VNNI_MAX_K) {  // beyond the stack copies below (no OPT layer is this deep)
        FC_Q8Q8_WALK(__m256, _mm256_setzero_ps(), _mm256_add_ps, fc_hsum8, q8q8_block_vnni);
        return;
    }
    int blocks = (k + 31) / 32, groups = (blocks + 15) / 16;
    size_t rowBytes = fc_q8_row_bytes(k);
    // |x| in pairs of blocks, the blocks where x < 0 as bit masks, activation scales padded to whole
    // groups of 16 with zeros (a missing block then adds 0 x 0).
    __attribute__((aligned(64))) int8_t xabs[VNNI_MAX_K + 64];
    __mmask64 negative[VNNI_MAX_K / 64 + 1];
    __attribute__((aligned(64))) float xs[VNNI_MAX_K / 32 + 16];
    int pairs = (blocks + 1) / 2;
    for (int p = 0; p < pairs; p++) {
        __mmask64 m = 2 * p + 1 < blocks ? ~(__mmask64)0 : 0xFFFFFFFFull;
        __m512i x = _mm512_maskz_loadu_epi8(m, xq + 64 * p);
        _mm512_store_si512(xabs + 64 * p, _mm512_abs_epi8(x));
        negative[p] = _mm512_movepi8_mask(x);
    }
    for (int b = 0; b < groups * 16; b++) xs[b] = b < blocks ? xscale[b] : 0;
    __m512i pick[8];
    for (int j = 0; j < 8; j++)
        pick[j] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi32(2 * j)), _mm256_set1_epi32(2 * j + 1), 1);
    for (int o = o0; o < o1; o++) {
        const int8_t *q = qs + (size_t)o * rowBytes;
        const uint16_t *s = scales + (size_t)o * blocks;
        __m512 acc = _mm512_setzero_ps();
        for (int g = 0; g < groups; g++) {
            int left = blocks - 16 * g;
            __mmask16 sm = left >= 16 ? 0xFFFF : (__mmask16)((1u << left) - 1);
            __m512 d = _mm512_mul_ps(_mm512_cvtph_ps(_mm256_maskz_loadu_epi16(sm, s + 16 * g)), _mm512_load_ps(xs + 16 * g));
            int groupPairs = left >= 16 ? 8 : (left + 1) / 2;
            for (int j = 0; j < groupPairs; j++) {
                int p = 8 * g + j;
                __mmask64 wm = 2 * p + 1 < blocks ? ~(__mmask64)0 : 0xFFFFFFFFull;
                FC_PREFETCH(q + 64 * p);
                __m512i w = _mm512_maskz_loadu_epi8(wm, q + 64 * p);
                w = _mm512_mask_sub_epi8(w, negative[p], _mm512_setzero_si512(), w);
                __m512i dots = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_load_si512(xabs + 64 * p), w);
                acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots), _mm512_permutexvar_ps(pick[j], d), acc);
            }
        }
        fc_store(y + o, _mm512_reduce_add_ps(acc), accumulate);
    }
}

// Several activation rows (beams) in 8 bits against 8-bit weights, with vpdpbusd. The one-row
// kernel above moves x's sign onto w, one masked subtract per row and pair of blocks; with several
// rows each weight would need one per row. Instead each weight byte is offset to unsigned once
// (w + 128, an xor), shared by every row: vpdpbusd then sums (w + 128) x, and each row's
// accumulator starts from -128 * (the lane's sum of x), made once per product, so the integer dots
// are exactly the one-row kernel's. The scales are multiplied lane for lane as there, and each
// (row, feature) sum is reduced the same way: every output is bit for bit the one-row kernel's.
//
// The prepared rows' layout: FC_Q8ROWS_PAIR_BYTES (internal.h).
enum { Q8ROWS_PAIR_BYTES = FC_Q8ROWS_PAIR_BYTES };

static int q8rows_pairs(int k) { return (k + 63) / 64; }

static uint8_t *q8rows_aligned(void *p) { return (uint8_t *)(((uintptr_t)p + 63) & ~(uintptr_t)63); }

// One block of 32 values as fc_q8_quantize_row makes it (same amax, scale, rounding and clamp).
INLINE_VNNI __m256i q8rows_quantize_block(const float *x, int count, float *scale) {
    __mmask16 m0 = count >= 16 ? 0xFFFF : (__mmask16)((1u << count) - 1);
    __mmask16 m1 = count >= 32 ? 0xFFFF : count <= 16 ? 0 : (__mmask16)((1u << (count - 16)) - 1);
    __m512 lo = _mm512_maskz_loadu_ps(m0, x), hi = _mm512_maskz_loadu_ps(m1, x + 16);
    float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(lo), _mm512_abs_ps(hi)));
    float d = amax / 127.0f, inv = d > 0 ? 127.0f / amax : 0;
    *scale = d;
    const __m512 vinv = _mm512_set1_ps(inv), top = _mm512_set1_ps(127.0f), bottom = _mm512_set1_ps(-127.0f);
    __m512 qlo = _mm512_roundscale_ps(_mm512_mul_ps(lo, vinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 qhi = _mm512_roundscale_ps(_mm512_mul_ps(hi, vinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    qlo = _mm512_min_ps(_mm512_max_ps(qlo, bottom), top);
    qhi = _mm512_min_ps(_mm512_max_ps(qhi, bottom), top);
    __m128i blo = _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(qlo)), bhi = _mm512_cvtepi32_epi8(_mm512_cvtps_epi32(qhi));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(blo), bhi, 1);
}

VNNI void fc_q8_rows_prepare_vnni(const float *x, int ldx, int rows, int k, void *prepared) {
    uint8_t *out = q8rows_aligned(prepared);
    int blocks = (k + 31) / 32, pairs = q8rows_pairs(k);
    const __m512i offset = _mm512_set1_epi8((char)0x80);
    for (int r = 0; r < rows; r++) {
        const float *row = x + (size_t)r * ldx;
        for (int p = 0; p < pairs; p++) {
            uint8_t *e = out + ((size_t)r * pairs + p) * Q8ROWS_PAIR_BYTES;
            float s0 = 0, s1 = 0;
            __m256i b0 = q8rows_quantize_block(row + 64 * p, k - 64 * p, &s0);
            __m256i b1 = 2 * p + 1 < blocks ? q8rows_quantize_block(row + 64 * p + 32, k - 64 * p - 32, &s1) : _mm256_setzero_si256();
            __m512i xq = _mm512_inserti64x4(_mm512_castsi256_si512(b0), b1, 1);
            _mm512_store_si512(e, xq);
            _mm512_store_si512(e + 64, _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), offset, xq)));
            _mm512_store_ps((float *)(e + 128), _mm512_mask_blend_ps(0xFF00, _mm512_set1_ps(s0), _mm512_set1_ps(s1)));
        }
    }
}

// NO features x NR rows, both constants after inlining: 20 accumulators at 4 x 5, each weight
// offset once and used by every row. With `streaming` the tile's weights are prefetched as one
// stream (FC_TILE_PREFETCH).
INLINE_VNNI void q8rows_tile(const int8_t *qs, const uint16_t *scales, int k, int o, int NO, const uint8_t *prep,
                             int NR, int streaming, const __m512i *pick, float *y, int ldy, int accumulate) {
    size_t rowBytes = fc_q8_row_bytes(k), prepStride = (size_t)q8rows_pairs(k) * Q8ROWS_PAIR_BYTES;
    int blocks = (k + 31) / 32, groups = (blocks + 15) / 16;
    const int8_t *tile = qs + (size_t)o * rowBytes;
    const __m512i offset = _mm512_set1_epi8((char)0x80);
    __m512 acc[4][5];
    for (int n = 0; n < NO; n++)
        for (int r = 0; r < NR; r++) acc[n][r] = _mm512_setzero_ps();
    for (int g = 0; g < groups; g++) {
        int left = blocks - 16 * g;
        __mmask16 sm = left >= 16 ? 0xFFFF : (__mmask16)((1u << left) - 1);
        __m512 sw[4];
        for (int n = 0; n < NO; n++) sw[n] = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(sm, scales + (size_t)(o + n) * blocks + 16 * g));
        int groupPairs = left >= 16 ? 8 : (left + 1) / 2;
        for (int j = 0; j < groupPairs; j++) {
            int p = 8 * g + j;
            __mmask64 wm = 2 * p + 1 < blocks ? ~(__mmask64)0 : 0xFFFFFFFFull;
            if (streaming)
                for (int n = 0; n < NO; n++) FC_TILE_PREFETCH(tile, p, NO, n, 64);
            for (int n = 0; n < NO; n++) {
                __m512i w = _mm512_xor_si512(_mm512_maskz_loadu_epi8(wm, tile + (size_t)n * rowBytes + 64 * p), offset);
                __m512 swe = _mm512_permutexvar_ps(pick[j], sw[n]);
                for (int r = 0; r < NR; r++) {
                    const uint8_t *e = prep + r * prepStride + (size_t)p * Q8ROWS_PAIR_BYTES;
                    __m512i dots = _mm512_dpbusd_epi32(_mm512_load_si512(e + 64), w, _mm512_load_si512(e));
                    __m512 d = _mm512_mul_ps(swe, _mm512_load_ps((const float *)(e + 128)));
                    acc[n][r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots), d, acc[n][r]);
                }
            }
        }
    }
    for (int r = 0; r < NR; r++)
        for (int n = 0; n < NO; n++) fc_store(y + (size_t)r * ldy + o + n, _mm512_reduce_add_ps(acc[n][r]), accumulate);
}

// The first row tile streams the weights in (and prefetches them); a later one (6-8 rows) finds them in cache.
// (`streaming` a constant in each, so the check leaves the inner loop: ~8% in the C driver).
#define Q8ROWS_TILE(NO, NR, S) q8rows_tile(qs, scales, k, o, NO, xr, NR, S, pick, yr, ldy, accumulate)
#define Q8ROWS(NO, NR) \
    if (r == 0) Q8ROWS_TILE(NO, NR, 1); \
    else Q8ROWS_TILE(NO, NR, 0)

VNNI void fc_q8_matvec_q8_rows_vnni(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, const void *prepared,
                                    int rows, float *y, int ldy, int accumulate) {
    const uint8_t *x = q8rows_aligned((void *)prepared);
    size_t ldx = (size_t)q8rows_pairs(k) * Q8ROWS_PAIR_BYTES;
    __m512i pick[8];
    for (int j = 0; j < 8; j++)
        pick[j] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi32(2 * j)), _mm256_set1_epi32(2 * j + 1), 1);
    FC_FOR_TILES(5, Q8ROWS)
}

AVX512 float fc_read_sum_avx512(const void *p, size_t bytes) {
    const float *f = p;
    size_t n = bytes / 64 * 16;
    __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        s0 = _mm512_add_ps(s0, _mm512_loadu_ps(f + i));
        s1 = _mm512_add_ps(s1, _mm512_loadu_ps(f + i + 16));
        s2 = _mm512_add_ps(s2, _mm512_loadu_ps(f + i + 32));
        s3 = _mm512_add_ps(s3, _mm512_loadu_ps(f + i + 48));
    }
    for (; i < n; i += 16) s0 = _mm512_add_ps(s0, _mm512_loadu_ps(f + i));
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}
// Exact GELU, 16 values per call of glibc's vector erff (libmvec): within 4 ulp of erff (2.4e-7
// absolute), 6.5x faster than calling erff per value; ViT-g's MLPs spent ~6% of the encoder there.
__attribute__((target("avx512f"))) __m512 _ZGVeN16v_erff(__m512);

AVX512 void fc_gelu_avx512(float *x, size_t n) {
    const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f), invSqrt2 = _mm512_set1_ps(0.70710678118654752440f);
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        __m512 e = _ZGVeN16v_erff(_mm512_mul_ps(v, invSqrt2));
        _mm512_mask_storeu_ps(x + i, m, _mm512_mul_ps(_mm512_mul_ps(half, v), _mm512_add_ps(one, e)));
    }
}
// Softmax of one row in place, 16 values per call of glibc's vector expf (libmvec, within 1 ulp of
// expf): calling expf per value was ~2% of the ViT encoder's samples (16 heads x 257 x 257 per
// layer). Partial sums run in 16 lanes, as PyTorch's vectorized softmax also sums out of order.
__attribute__((target("avx512f"))) __m512 _ZGVeN16v_expf(__m512);

AVX512 void fc_softmax_avx512(float *x, size_t n) {
    __m512 top = _mm512_set1_ps(-__builtin_inff());
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        top = _mm512_mask_max_ps(top, m, top, _mm512_maskz_loadu_ps(m, x + i));
    }
    const __m512 maxValue = _mm512_set1_ps(_mm512_reduce_max_ps(top));
    __m512 sum = _mm512_setzero_ps();
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 e = _mm512_maskz_mov_ps(m, _ZGVeN16v_expf(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), maxValue)));
        _mm512_mask_storeu_ps(x + i, m, e);
        sum = _mm512_add_ps(sum, e);
    }
    const __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i), inv));
    }
}
// LayerNorm of one row: mean, then variance around it (two passes, as PyTorch), each summed in 16
// lanes. In Swift the sums were one float at a time, one long chain of dependent adds: ~2% of the
// ViT encoder's samples. y = ((x - mean) * inv) * gamma + beta with separate roundings, as before.
AVX512 void fc_layernorm_avx512(const float *x, float *y, size_t n, const float *gamma, const float *beta, float eps) {
    __m512 s = _mm512_setzero_ps();
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(m, x + i));
    }
    const float mean = _mm512_reduce_add_ps(s) / (float)n;
    const __m512 mv = _mm512_set1_ps(mean);
    __m512 v = _mm512_setzero_ps();
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 d = _mm512_maskz_sub_ps(m, _mm512_maskz_loadu_ps(m, x + i), mv);
        v = _mm512_add_ps(v, _mm512_mul_ps(d, d));
    }
    const __m512 inv = _mm512_set1_ps(1.0f / sqrtf(_mm512_reduce_add_ps(v) / (float)n + eps));
    for (size_t i = 0; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 out = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), mv), inv);
        if (gamma) out = _mm512_mul_ps(out, _mm512_maskz_loadu_ps(m, gamma + i));
        if (beta) out = _mm512_add_ps(out, _mm512_maskz_loadu_ps(m, beta + i));
        _mm512_mask_storeu_ps(y + i, m, out);
    }
}
#endif
