// BF16 matrix product for many rows (ViT tokens, prompt prefill) with AVX512-BF16's vdpbf16ps,
// which multiplies pairs of BF16 values and accumulates in F32: 32 multiply-adds per instruction,
// twice the F32 FMA rate, from half the weight bytes. Activations are rounded to BF16 once per
// product (as PyTorch's BF16 matmul does); weights are read in their checkpoint layout [n][k].
//
// Each accumulator holds one (row, feature) dot product spread over 16 lanes of depth and is summed
// across lanes at the end. Both operands are then plain contiguous loads: on Zen 4 the usual
// broadcast-one-operand layout measured at about half this speed (512-bit broadcasts are slow there).
#if defined(__x86_64__)
#include "kernels.h"
#include "internal.h"
#include <immintrin.h>
#include <string.h>

#define BF16 __attribute__((target("avx2,avx512f,avx512bw,avx512vl,avx512bf16,fma,f16c")))
#define INLINE_BF16 static inline __attribute__((always_inline, target("avx512f,avx512bw,avx512vl,avx512bf16,fma")))

// Tiles of 4 activation rows x 6 weight rows, or 5 x 5 where 5 rows are left: beam search's 5
// beams (the published captioners' default) then read each weight once, not as 4 + 1 rows. Either
// way an accumulator is one (row, feature) dot product over the whole depth, so results do not
// depend on the tile. 25 accumulators + 5 weights + 1 activation fill the 32 vector registers.
enum { TILE_M = 5, TILE_N = 6 };

/// Row stride (in BF16 values) of the packed activations: whole 32-value steps, zero padded, plus one
/// more step where rows would lie a multiple of 4 KB apart. L1 is 8-way with 4 KB per way, so at such
/// depths (ViT-g's fc2 k = 6144, OPT-6.7B's 4096 and 16384) a tile's 4 activation rows and its 6
/// weight rows (their stride is the checkpoint's) all fall in one set and evict each other: 64 bytes
/// more per row took k = 6144 from 148 to 203 GFLOP/s and k = 4096 from 128 to 166 on one Zen 4 core.
static int packed_stride(int k) {
    int stride = (k + 31) / 32 * 32;
    return stride % 2048 == 0 ? stride + 32 : stride;
}

size_t fc_bf16_gemm_packed_floats(int rows, int k) { return (size_t)rows * packed_stride(k) / 2 + 1; }

BF16 void fc_bf16_gemm_pack(const float *x, int ldx, int rows, int k, float *packedFloats) {
    uint16_t *packed = (uint16_t *)packedFloats;
    int lda = packed_stride(k);
    for (int m = 0; m < rows; m++) {
        const float *row = x + (size_t)m * ldx;
        uint16_t *dst = packed + (size_t)m * lda;
        for (int i = 0; i < lda; i += 32) {
            int left = k - i;
            __mmask16 m0 = (__mmask16)(left >= 16 ? 0xFFFF : left <= 0 ? 0 : (1u << left) - 1);
            __mmask16 m1 = (__mmask16)(left >= 32 ? 0xFFFF : left <= 16 ? 0 : (1u << (left - 16)) - 1);
            __m512 lo = _mm512_maskz_loadu_ps(m0, row + i), hi = _mm512_maskz_loadu_ps(m1, row + i + 16);
            _mm512_storeu_si512(dst + i, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
        }
    }
}

// The tile loops are unrolled by force: left to itself clang kept `c` in a stack array and cleared
// it with a 1.5 KB memset on every call (2.5% of the ViT encoder's samples), though the registers
// hold the sums.
#define UNROLL _Pragma("clang loop unroll(full)")

// The sums of four accumulators' 16 lanes, adding lane i to lane i + 8, then i + 4, i + 2, i + 1,
// whatever the tile: a dot product's result never depends on its neighbours (a beam equals the same
// row decoded alone). Four at a time, sharing each shuffle and add, instead of one horizontal
// reduction per accumulator: that was ~10% of a 4 x 6 tile at ViT-g's depth 1408; ViT-g's shapes
// went 2.5-4% faster (one and two Zen 4 cores, 15 alternating runs).
INLINE_BF16 __m128 reduce4(__m512 a, __m512 b, __m512 c, __m512 d) {
    __m512 ab = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 cd = _mm512_add_ps(_mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(3, 2, 3, 2)));
    // 128-bit lane j now holds accumulator j's four partial sums.
    __m512 s = _mm512_add_ps(_mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(3, 1, 3, 1)));
    s = _mm512_add_ps(s, _mm512_permute_ps(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm512_add_ps(s, _mm512_permute_ps(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm512_castps512_ps128(_mm512_permutexvar_ps(_mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 8, 4, 0), s));
}

// MR activation rows x NR weight rows over the whole depth, into y[MR][NR] (row stride ldy), plus
// bias[NR] when given, added to y when `accumulate`. With `streaming` the weight rows are prefetched
// (FC_TILE_PREFETCH, internal.h).
INLINE_BF16 void micro(const uint16_t *a, int lda, const uint16_t *w, int k, int MR, int NR, int streaming,
                        float *y, int ldy, const float *bias, int accumulate) {
    __m512 c[TILE_M][TILE_N];
    UNROLL for (int r = 0; r < MR; r++)
        UNROLL for (int n = 0; n < NR; n++) c[r][n] = _mm512_setzero_ps();
    int i = 0;
    for (; i + 32 <= k; i += 32) {
        __m512bh av[TILE_M], wv[TILE_N];
        if (streaming) UNROLL for (int n = 0; n < NR; n++) FC_TILE_PREFETCH(w, i / 32, NR, n, 64);
        UNROLL for (int r = 0; r < MR; r++) av[r] = (__m512bh)_mm512_loadu_si512(a + (size_t)r * lda + i);
        UNROLL for (int n = 0; n < NR; n++) wv[n] = (__m512bh)_mm512_loadu_si512(w + (size_t)n * k + i);
        UNROLL for (int r = 0; r < MR; r++)
            UNROLL for (int n = 0; n < NR; n++) c[r][n] = _mm512_dpbf16_ps(c[r][n], av[r], wv[n]);
    }
    if (i < k) {
        // The packed activations are zero past k; the weights must not be read past their row.
        __mmask32 tail = (__mmask32)((1ull << (k - i)) - 1);
        __m512bh av[TILE_M], wv[TILE_N];
        UNROLL for (int r = 0; r < MR; r++) av[r] = (__m512bh)_mm512_loadu_si512(a + (size_t)r * lda + i);
        UNROLL for (int n = 0; n < NR; n++) wv[n] = (__m512bh)_mm512_maskz_loadu_epi16(tail, w + (size_t)n * k + i);
        UNROLL for (int r = 0; r < MR; r++)
            UNROLL for (int n = 0; n < NR; n++) c[r][n] = _mm512_dpbf16_ps(c[r][n], av[r], wv[n]);
    }
    // Each row's features in fours are summed together and stored as one vector; the features left
    // over (two of a 6-wide tile, one of a 5-wide) are summed in fours across rows and stored singly.
    // Storing all sums through a small array and adding bias and y one float at a time had been ~4%
    // of the ViT encoder's samples; this took ViT-g's k = 1408 shapes 5-8% faster (C driver, one and
    // two Zen 4 cores), with every output bit unchanged.
    const int VN = NR / 4 * 4;
    UNROLL for (int r = 0; r < MR; r++)
        UNROLL for (int n = 0; n < VN; n += 4) {
            __m128 v = reduce4(c[r][n], c[r][n + 1], c[r][n + 2], c[r][n + 3]);
            if (bias) v = _mm_add_ps(v, _mm_loadu_ps(bias + n));
            float *dst = y + (size_t)r * ldy + n;
            if (accumulate) v = _mm_add_ps(_mm_loadu_ps(dst), v);
            _mm_storeu_ps(dst, v);
        }
    const int LEFT = NR - VN, SPARE = MR * (NR - VN);
    if (SPARE) {
        __m512 flat[TILE_M * TILE_N + 3];
        float out[TILE_M * TILE_N + 3];
        UNROLL for (int r = 0; r < MR; r++)
            UNROLL for (int n = VN; n < NR; n++) flat[r * LEFT + n - VN] = c[r][n];
        UNROLL for (int j = SPARE; j < (SPARE + 3) / 4 * 4; j++) flat[j] = _mm512_setzero_ps();
        UNROLL for (int j = 0; j < SPARE; j += 4) _mm_storeu_ps(out + j, reduce4(flat[j], flat[j + 1], flat[j + 2], flat[j + 3]));
        UNROLL for (int r = 0; r < MR; r++)
            UNROLL for (int n = VN; n < NR; n++) {
                float v = out[r * LEFT + n - VN] + (bias ? bias[n] : 0);
                float *dst = y + (size_t)r * ldy + n;
                *dst = accumulate ? *dst + v : v;
            }
    }
}

#define OUT y, ldy, bias, accumulate
#define MICRO_N(MR, S) \
    switch (nr) { \
    case 1: micro(a, lda, w, k, MR, 1, S, OUT); break; \
    case 2: micro(a, lda, w, k, MR, 2, S, OUT); break; \
    case 3: micro(a, lda, w, k, MR, 3, S, OUT); break; \
    case 4: micro(a, lda, w, k, MR, 4, S, OUT); break; \
    case 5: micro(a, lda, w, k, MR, 5, S, OUT); break; \
    default: micro(a, lda, w, k, MR, 6, S, OUT); break; \
    }

// One function per `streaming` value, so that each tile shape is compiled with it as a constant.
#define MICRO_ANY(NAME, S) \
    BF16 static void NAME(const uint16_t *a, int lda, const uint16_t *w, int k, int mr, int nr, \
                          float *y, int ldy, const float *bias, int accumulate) { \
        switch (mr) { \
        case 1: MICRO_N(1, S) break; \
        case 2: MICRO_N(2, S) break; \
        case 3: MICRO_N(3, S) break; \
        case 4: MICRO_N(4, S) break; \
        default: \
            switch (nr) { \
            case 1: micro(a, lda, w, k, 5, 1, S, OUT); break; \
            case 2: micro(a, lda, w, k, 5, 2, S, OUT); break; \
            case 3: micro(a, lda, w, k, 5, 3, S, OUT); break; \
            case 4: micro(a, lda, w, k, 5, 4, S, OUT); break; \
            default: micro(a, lda, w, k, 5, 5, S, OUT); break; \
            } \
            break; \
        } \
    }
MICRO_ANY(micro_streaming, 1)
MICRO_ANY(micro_cached, 0)

/// Output features per block: their weights (~384 KB) stay in L2 while every row tile passes over
/// them. A multiple of 30, so that both 6- and 5-wide tiles divide it.
static int feature_block(int k) {
    int block = (384 * 1024) / (2 * k) / 30 * 30;
    return block < 30 ? 30 : block;
}

/// Rows per tile: 5 when exactly 5 are left (a 5 x 5 tile), else up to 4 (4 x 6 tiles).
static int tile_rows(int left) { return left == 5 ? 5 : left < 4 ? left : 4; }

BF16 void fc_bf16_gemm(const uint16_t *w, int k, int o0, int o1, const float *packedFloats, int rows,
                       const float *bias, float *y, int ldy, int accumulate) {
    const uint16_t *packed = (const uint16_t *)packedFloats;
    int lda = packed_stride(k);
    int block = feature_block(k);
    for (int nb = o0; nb < o1; nb += block) {
        int nbEnd = nb + block < o1 ? nb + block : o1;
        for (int m0 = 0, mr; m0 < rows; m0 += mr) {
            mr = tile_rows(rows - m0);
            // One activation row (greedy decoding) reads every weight once whatever the tile, and is
            // bound by that read: one weight row at a time is one sequential stream, which kept pace
            // with a plain read of the same bytes (0.99 of it, paired runs, OPT-2.7B's layers on the
            // 2-core EPYC) where six interleaved rows reached about 0.8.
            int tileN = mr == 5 ? 5 : rows == 1 ? 1 : TILE_N;
            for (int n0 = nb; n0 < nbEnd; n0 += tileN) {
                int nr = nbEnd - n0 < tileN ? nbEnd - n0 : tileN;
                // The first row tile brings a feature block in from memory; the others find it in L2.
                (m0 == 0 ? micro_streaming : micro_cached)(packed + (size_t)m0 * lda, lda, w + (size_t)n0 * k, k, mr, nr,
                                                          y + (size_t)m0 * ldy + n0, ldy, bias ? bias + n0 : 0, accumulate);
            }
        }
    }
}
// q8 rows to BF16 for the product above (prompt prefill with 8-bit weights), 32 weights per step:
// widened to F32, scaled (exact: 7 + 11 significant bits), rounded to nearest even by vcvtne2ps2bf16.
BF16 void fc_q8_dequantize_bf16(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, uint16_t *out) {
    int blocks = (k + 31) / 32;
    size_t rowBytes = (size_t)blocks * 32;
    for (int o = o0; o < o1; o++) {
        const int8_t *q = qs + (size_t)o * rowBytes;
        uint16_t *dst = out + (size_t)(o - o0) * k;
        for (int b = 0; b < blocks; b++) {
            __m512 d = _mm512_set1_ps(_cvtsh_ss(scales[(size_t)o * blocks + b]));
            __m256i v = _mm256_loadu_si256((const __m256i *)(q + 32 * b));  // rows are padded to whole blocks
            __m512 lo = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_castsi256_si128(v))), d);
            __m512 hi = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_extracti128_si256(v, 1))), d);
            int left = k - 32 * b;
            // Rows of `out` are k long and back to back: a short last block must not spill into the next.
            __mmask32 m = left >= 32 ? ~(__mmask32)0 : (__mmask32)((1u << left) - 1);
            _mm512_mask_storeu_epi16(dst + 32 * b, m, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
        }
    }
}
// q8 weights times many rows (prompt prefill): features [o0, o1) in L2-sized blocks, each block's
// rows dequantized to BF16 into `tmp` (this thread's own, `tmpValues` long) and multiplied there, so
// the dequantized weights never travel to memory and back.
BF16 void fc_q8_bf16_gemm(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, const float *packed, int rows,
                          const float *bias, float *y, int ldy, int accumulate, uint16_t *tmp, size_t tmpValues) {
    int block = feature_block(k);
    if ((size_t)block * k > tmpValues) block = (int)(tmpValues / k);
    if (block < 1) block = 1;
    for (int nb = o0; nb < o1; nb += block) {
        int nbEnd = nb + block < o1 ? nb + block : o1;
        fc_q8_dequantize_bf16(qs, scales, k, nb, nbEnd, tmp);
        fc_bf16_gemm(tmp, k, 0, nbEnd - nb, packed, rows, bias ? bias + nb : 0, y + nb, ldy, accumulate);
    }
}
#else
#include "kernels.h"
size_t fc_bf16_gemm_packed_floats(int rows, int k) { (void)rows; (void)k; return 1; }
void fc_bf16_gemm_pack(const float *x, int ldx, int rows, int k, float *packed) { (void)x; (void)ldx; (void)rows; (void)k; (void)packed; }
void fc_q8_bf16_gemm(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, const float *packed, int rows,
                     const float *bias, float *y, int ldy, int accumulate, uint16_t *tmp, size_t tmpValues) {
    (void)qs; (void)scales; (void)k; (void)o0; (void)o1; (void)packed; (void)rows; (void)bias; (void)y; (void)ldy;
    (void)accumulate; (void)tmp; (void)tmpValues;
}
void fc_q8_dequantize_bf16(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, uint16_t *out) {
    (void)qs; (void)scales; (void)k; (void)o0; (void)o1; (void)out;
}
void fc_bf16_gemm(const uint16_t *w, int k, int o0, int o1, const float *packed, int rows,
                  const float *bias, float *y, int ldy, int accumulate) {
    (void)w; (void)k; (void)o0; (void)o1; (void)packed; (void)rows; (void)bias; (void)y; (void)ldy; (void)accumulate;
}
#endif
