// Per-level implementations behind the dispatching entry points of kernels.h.
#ifndef FACECAP_KERNELS_INTERNAL_H
#define FACECAP_KERNELS_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

/// How far ahead a decoding kernel prefetches the weights it streams, into L2. A decoding step is
/// bound by that stream, but once the products take a real share of the time (five beams' 25
/// vdpbf16ps per step of a 5 x 5 tile; widening each weight to F32) the out-of-order window holds
/// too few loads to keep memory busy, and the products and the read take turns instead of
/// overlapping. Prefetching 16 KB ahead keeps the read going. Over OPT-2.7B's layers on the 2-core
/// Zen 4, cores splitting each matrix as the engine does, old and new kernels alternating in one
/// process (C driver, 11-21 pairs each):
/// - BF16 vdpbf16ps, 5 rows: 224 -> 181 ms; one row 152 -> 149 ms;
/// - AVX-512 widening (CPUs without AVX512-BF16): 5 rows 283 -> 209 ms, one row 186 -> 167 ms;
/// - AVX2 widening: 5 rows 327 -> 279 ms, one row 172 -> 143 ms;
/// - q8 x q8 VNNI, one row: 1.19x -> 1.10x a paired plain read.
/// 2-8 KB ahead gained less; prefetching into L1 at 1-2 KB nothing. Past a row's end this touches
/// the next rows, which the following outputs read; a prefetch never faults. Tiles of several
/// weight rows with half weights prefetch as FC_TILE_PREFETCH does instead.
enum { FC_PREFETCH_BYTES = 16384 };
#define FC_PREFETCH(p) __builtin_prefetch((const char *)(p) + FC_PREFETCH_BYTES, 0, 2)

/// A tile's weight rows lie back to back, so the tile reads one contiguous block as one stream per
/// row. Its prefetches walk that block as a single stream instead, in address order, one row's
/// step after another, FC_TILE_PREFETCH_BYTES ahead of the tile's start: each tile's prefetches
/// carry on where the previous tile's ended. Call it for each row j of `rows` at step s (0, 1, ...)
/// of `stepBytes` per row. Over OPT-2.7B's layers with five rows, two Zen 4 cores splitting each
/// matrix as the engine does (C drivers, 11-15 alternating steps each), against each row
/// prefetching 16 KB ahead of itself:
/// - BF16 vdpbf16ps 5 x 5 tiles: 1.62x -> 1.41x a paired plain read with memory fast (~45 GB/s),
///   1.14x -> 1.09x with memory slow (~31 GB/s); 16 KB ahead gained less, 48-64 KB no more;
/// - AVX-512 widening, 4 + 1 rows: 1.32x -> 1.17x and 1.88x -> 1.74x.
/// For one row (greedy decoding) it is FC_PREFETCH's stream 32 KB ahead, which measured the same as
/// 16 KB (1.05-1.11x a read at 16-64 KB).
enum { FC_TILE_PREFETCH_BYTES = 32768 };
#define FC_TILE_PREFETCH(tile, s, rows, j, stepBytes) \
    __builtin_prefetch((const char *)(tile) + FC_TILE_PREFETCH_BYTES + ((size_t)(s) * (rows) + (j)) * (stepBytes), 0, 2)

#define FC_MATVEC_ARGS const uint16_t *w, int isF16, int k, int o0, int o1, \
    const float *x, int ldx, int rows, float *y, int ldy, int accumulate
#define FC_Q8_ARGS const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, \
    const float *x, int ldx, int rows, float *y, int ldy, int accumulate

void fc_half_matvec_generic(FC_MATVEC_ARGS);
void fc_half_matvec_avx2(FC_MATVEC_ARGS);
void fc_half_matvec_avx512(FC_MATVEC_ARGS);
void fc_q8_matvec_generic(FC_Q8_ARGS);
void fc_q8_matvec_avx2(FC_Q8_ARGS);
void fc_q8_matvec_avx512(FC_Q8_ARGS);
#define FC_Q8Q8_ARGS const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, \
    const int8_t *xq, const float *xscale, float *y, int accumulate
void fc_q8_matvec_q8_generic(FC_Q8Q8_ARGS);
void fc_q8_matvec_q8_avx2(FC_Q8Q8_ARGS);
void fc_q8_matvec_q8_vnni(FC_Q8Q8_ARGS);
/// Whether the CPU has AVX512-VNNI (with VL): the int8 dot instruction the q8 x q8 kernel wants.
int fc_has_vnni(void);
/// Several 8-bit activation rows as fc_q8_matvec_q8_rows takes them (from a 64-byte boundary): per
/// row, per pair of blocks, the 64 quantized bytes, then 16 int32 lanes of -128 * (the lane's four
/// bytes summed), then 16 F32 lanes of activation scales (block 2p in lanes 0-7, 2p + 1 in 8-15).
enum { FC_Q8ROWS_PAIR_BYTES = 192 };
void fc_q8_rows_prepare_vnni(const float *x, int ldx, int rows, int k, void *prepared);
void fc_q8_matvec_q8_rows_vnni(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, const void *prepared,
                               int rows, float *y, int ldy, int accumulate);
float fc_read_sum_generic(const void *p, size_t bytes);
float fc_read_sum_avx2(const void *p, size_t bytes);
float fc_read_sum_avx512(const void *p, size_t bytes);
void fc_gelu_generic(float *x, size_t n);
void fc_gelu_avx2(float *x, size_t n);
void fc_gelu_avx512(float *x, size_t n);
void fc_softmax_generic(float *x, size_t n);
void fc_softmax_avx2(float *x, size_t n);
void fc_softmax_avx512(float *x, size_t n);
#define FC_LAYERNORM_ARGS const float *x, float *y, size_t n, const float *gamma, const float *beta, float eps
void fc_layernorm_generic(FC_LAYERNORM_ARGS);
void fc_layernorm_avx2(FC_LAYERNORM_ARGS);
void fc_layernorm_avx512(FC_LAYERNORM_ARGS);

/// Bytes of one padded q8 row: k rounded up to whole blocks.
static inline size_t fc_q8_row_bytes(int k) { return (size_t)((k + 31) / 32) * 32; }

#if defined(__x86_64__)
#include <immintrin.h>
// Sum of 8 float lanes, for the AVX2 kernels and the VNNI kernel's 256-bit accumulators.
static inline __attribute__((always_inline, target("avx2,fma"))) float fc_hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
#endif

static inline void fc_store(float *out, float value, int accumulate) { *out = accumulate ? *out + value : value; }

// The decode kernels' walk: outputs [o0, o1) four at a time, rows MAXR (a literal 3, 4 or 5) at a
// time, calling TILE(NO, NR) with literal NO (outputs) and NR (rows) so that every combination
// compiles with its accumulators in registers. In scope: o0, o1, rows, x, ldx, y, ldy (x may be any
// pointer type, ldx in its elements); TILE sees o, r, xr, yr.
#define FC_TILE_ROWS_3(TILE, NO) \
    switch (nr) { \
    case 1: TILE(NO, 1); break; \
    case 2: TILE(NO, 2); break; \
    default: TILE(NO, 3); break; \
    }
#define FC_TILE_ROWS_4(TILE, NO) \
    switch (nr) { \
    case 1: TILE(NO, 1); break; \
    case 2: TILE(NO, 2); break; \
    case 3: TILE(NO, 3); break; \
    default: TILE(NO, 4); break; \
    }
#define FC_TILE_ROWS_5(TILE, NO) \
    switch (nr) { \
    case 1: TILE(NO, 1); break; \
    case 2: TILE(NO, 2); break; \
    case 3: TILE(NO, 3); break; \
    case 4: TILE(NO, 4); break; \
    default: TILE(NO, 5); break; \
    }
#define FC_FOR_TILES(MAXR, TILE) \
    for (int o = o0; o < o1; o += 4) { \
        int no = o1 - o < 4 ? o1 - o : 4; \
        for (int r = 0; r < rows; r += (MAXR)) { \
            int nr = rows - r < (MAXR) ? rows - r : (MAXR); \
            __typeof__(x) xr = x + (size_t)r * ldx; \
            float *yr = y + (size_t)r * ldy; \
            switch (no) { \
            case 4: FC_TILE_ROWS_##MAXR(TILE, 4) break; \
            case 3: FC_TILE_ROWS_##MAXR(TILE, 3) break; \
            case 2: FC_TILE_ROWS_##MAXR(TILE, 2) break; \
            default: FC_TILE_ROWS_##MAXR(TILE, 1) break; \
            } \
        } \
    }
// One activation row (greedy decoding): outputs [o0, o1) one weight row at a time, so the weights
// are read as one sequential stream. ROW(row's weights, row's scales (q8), k, x, &y[o], accumulate).
// In scope: w or qs + scales, k, o0, o1, x, y, accumulate (and isF16 for half weights).
#define FC_HALF_ROWS(ROW) \
    for (int o = o0; o < o1; o++) ROW(w + (size_t)o * k, isF16, k, x, y + o, accumulate)
#define FC_Q8_ROWS(ROW) \
    do { \
        int blocks_ = (k + 31) / 32; \
        size_t rowBytes_ = fc_q8_row_bytes(k); \
        for (int o = o0; o < o1; o++) \
            ROW(qs + (size_t)o * rowBytes_, scales + (size_t)o * blocks_, k, x, y + o, accumulate); \
    } while (0)

// The q8 x q8 walk (FC_Q8Q8_ARGS in scope): per output row, blocks two at a time into two
// accumulators of vector type VEC; BLOCK(q, xq, scale, acc) adds a block's scaled integer dot.
#define FC_Q8Q8_WALK(VEC, ZERO, ADD, HSUM, BLOCK) \
    do { \
        int blocks = (k + 31) / 32; \
        size_t rowBytes = fc_q8_row_bytes(k); \
        for (int o = o0; o < o1; o++) { \
            const int8_t *q = qs + (size_t)o * rowBytes; \
            const uint16_t *s = scales + (size_t)o * blocks; \
            VEC a0 = ZERO, a1 = ZERO; \
            int b = 0; \
            for (; b + 2 <= blocks; b += 2) { \
                a0 = BLOCK(q + 32 * b, xq + 32 * b, _cvtsh_ss(s[b]) * xscale[b], a0); \
                a1 = BLOCK(q + 32 * b + 32, xq + 32 * b + 32, _cvtsh_ss(s[b + 1]) * xscale[b + 1], a1); \
            } \
            if (b < blocks) a0 = BLOCK(q + 32 * b, xq + 32 * b, _cvtsh_ss(s[b]) * xscale[b], a0); \
            fc_store(y + o, HSUM(ADD(a0, a1)), accumulate); \
        } \
    } while (0)
#endif
