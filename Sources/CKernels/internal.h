// Per-level implementations behind the dispatching entry points of kernels.h.
#ifndef FACECAP_KERNELS_INTERNAL_H
#define FACECAP_KERNELS_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

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
float fc_read_sum_generic(const void *p, size_t bytes);
float fc_read_sum_avx2(const void *p, size_t bytes);
float fc_read_sum_avx512(const void *p, size_t bytes);

/// Bytes of one padded q8 row: k rounded up to whole blocks.
static inline size_t fc_q8_row_bytes(int k) { return (size_t)((k + 31) / 32) * 32; }

static inline void fc_store(float *out, float value, int accumulate) { *out = accumulate ? *out + value : value; }
#endif
