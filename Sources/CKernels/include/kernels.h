// Hand-written CPU kernels for half-precision and 8-bit weights, chosen at run time by what the
// CPU offers (AVX-512 BF16, AVX-512, AVX2) so one binary runs everywhere; see dispatch.c.
#ifndef FACECAP_KERNELS_H
#define FACECAP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// Kernel levels, lowest to highest. A level needs every instruction set of the levels below.
enum {
    FC_LEVEL_GENERIC = 0,    // portable C / Swift SIMD
    FC_LEVEL_AVX2 = 1,       // AVX2 + FMA + F16C
    FC_LEVEL_AVX512 = 2,     // AVX-512 F/BW/VL
    FC_LEVEL_AVX512BF16 = 3, // plus vdpbf16ps
};

/// The level this CPU supports, capped by FACECAP_KERNELS (generic|avx2|avx512|avx512bf16) if set.
int fc_detected_level(void);
/// The level in use: fc_detected_level() unless lowered with fc_set_level (tests force lower paths).
int fc_level(void);
/// Sets the level in use, clamped to what the CPU supports; returns the level now in use.
int fc_set_level(int level);

// --- Half-precision weights (BF16 = 0, F16 = 1) times F32 activations, few rows (decode) ---
/// y[r][o] (+)= sum_k w[o][k] * x[r][k] for o in [o0, o1), r < rows. F32 arithmetic throughout.
void fc_half_matvec(const uint16_t *w, int isF16, int k, int o0, int o1,
                    const float *x, int ldx, int rows, float *y, int ldy, int accumulate);

// --- BF16 GEMM with vdpbf16ps (level FC_LEVEL_AVX512BF16 only) ---
/// Floats of workspace fc_bf16_gemm_pack needs for `rows` x `k` activations.
size_t fc_bf16_gemm_packed_floats(int rows, int k);
/// Rounds activations to BF16 pairs in the kernel's layout (one pass, shared by all threads).
void fc_bf16_gemm_pack(const float *x, int ldx, int rows, int k, float *packed);
/// Output features [o0, o1) of y = x w^T (+ bias) (+ y when accumulate) for all rows, reading the
/// packed activations. `w` is [n][k] BF16 exactly as in the checkpoint: no repacking. `bias` may be NULL.
void fc_bf16_gemm(const uint16_t *w, int k, int o0, int o1, const float *packed, int rows,
                  const float *bias, float *y, int ldy, int accumulate);

/// q8 rows [o0, o1) (fc_q8_quantize's layout) as BF16 rows of length k, rounded to nearest even, for
/// fc_bf16_gemm (level FC_LEVEL_AVX512BF16 only).
void fc_q8_dequantize_bf16(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, uint16_t *out);
/// Features [o0, o1) of y = packed x dequant(q8)^T (+ bias) (+ y when accumulate), as fc_bf16_gemm, with
/// blocks of weight rows dequantized to BF16 into `tmp` (`tmpValues` BF16 values, one thread's own).
void fc_q8_bf16_gemm(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, const float *packed, int rows,
                     const float *bias, float *y, int ldy, int accumulate, uint16_t *tmp, size_t tmpValues);

// --- 8-bit weights: per row, blocks of 32 int8 with one F16 scale (llama.cpp's Q8_0 layout) ---
enum { FC_Q8_BLOCK = 32 };
/// Quantizes `rows` rows of an F32 row-major matrix with `k` columns into `qs` (rows padded with
/// zeros to a multiple of 32) and `scales` (ceil(k/32) per row); all pointers at the first row.
void fc_q8_quantize(const float *w, int k, int rows, int8_t *qs, uint16_t *scales);
/// y[r][o] (+)= sum_k dequant(w)[o][k] * x[r][k] for o in [o0, o1).
void fc_q8_matvec(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1,
                  const float *x, int ldx, int rows, float *y, int ldy, int accumulate);
/// One activation row in 8 bits for fc_q8_matvec_q8: blocks of 32 int8 in [-127, 127] (zero padded to
/// whole blocks) and one F32 scale per block (amax / 127, round to nearest), as llama.cpp's Q8_0.
void fc_q8_quantize_row(const float *x, int k, int8_t *xq, float *xscale);
/// One row: y[o] (+)= sum over blocks of w_scale * x_scale * (exact integer dot of the block's 32
/// products), o in [o0, o1). Integer dots are the same at every level (VNNI, AVX2, generic).
void fc_q8_matvec_q8(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1,
                     const int8_t *xq, const float *xscale, float *y, int accumulate);
/// Whether fc_q8_matvec_q8_rows runs at the current level (AVX512-VNNI). Where it does not, several
/// rows keep F32 activations (fc_q8_matvec).
int fc_q8_rows_available(void);
/// Bytes of scratch fc_q8_rows_prepare fills for `rows` rows of depth k (any alignment).
size_t fc_q8_rows_prepared_bytes(int k, int rows);
/// Quantizes `rows` activation rows (row stride ldx) exactly as fc_q8_quantize_row, into the form
/// fc_q8_matvec_q8_rows reads. Only where fc_q8_rows_available().
void fc_q8_rows_prepare(const float *x, int ldx, int rows, int k, void *prepared);
/// y[r][o] (+)= fc_q8_matvec_q8 of row r, o in [o0, o1), bit for bit, reading each weight once for
/// all rows. Only where fc_q8_rows_available().
void fc_q8_matvec_q8_rows(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, const void *prepared,
                          int rows, float *y, int ldy, int accumulate);
/// Dequantizes rows [o0, o1) into F32 rows of length k (for sgemm over many rows).
void fc_q8_dequantize(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, float *out);

// --- Threads ---
typedef void (*fc_pool_item)(void *context, int index);
/// Runs item(context, i) for every i in [0, count) on the calling thread and the pool's workers
/// (threads - 1 of them, started at the first call), returning when all have run. Returns 0 and
/// runs nothing when another call is under way, or when threads or count is below 2.
int fc_pool_run(int threads, int count, fc_pool_item item, void *context);

// --- Memory read bandwidth reference ---
/// Sums `bytes` bytes from p with the widest loads the CPU has (the result defeats dead-code removal).
float fc_read_sum(const void *p, size_t bytes);

// --- Activations ---
/// x = GELU(x) = 0.5 x (1 + erf(x / sqrt 2)) in place (glibc's vector erff where the CPU has AVX2 or AVX-512).
void fc_gelu(float *x, size_t n);
/// x = softmax(x) in place: exp(x - max) / sum (glibc's vector expf where the CPU has AVX2 or AVX-512).
void fc_softmax(float *x, size_t n);
/// y = LayerNorm(x) over one row of n (y may be x): (x - mean) / sqrt(variance + eps) * gamma + beta,
/// mean and variance in two passes; gamma and beta may be null.
void fc_layernorm(const float *x, float *y, size_t n, const float *gamma, const float *beta, float eps);

// --- Threads ---
/// CPUs this process may run on (its affinity mask: taskset, cpusets, Slurm), or 0 if unknown.
int fc_allowed_cpus(void);

// --- Conversions ---
float fc_f16_to_f32(uint16_t h);
uint16_t fc_f32_to_f16(float f);

#endif
