// Run-time choice of kernel level. The package is built for baseline x86-64 (no -march flags), and
// each wider kernel lives in its own function compiled with a target attribute, so one binary runs
// on any x86-64 and on other architectures (where only the generic level exists).
#define _GNU_SOURCE  // sched_getaffinity, CPU_COUNT
#include <sched.h>
#include "kernels.h"
#include "internal.h"
#include <stdlib.h>
#include <string.h>

static int detect(void) {
    int level = FC_LEVEL_GENERIC;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c"))
        level = FC_LEVEL_AVX2;
    if (level == FC_LEVEL_AVX2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl"))
        level = FC_LEVEL_AVX512;
    if (level == FC_LEVEL_AVX512 && __builtin_cpu_supports("avx512bf16"))
        level = FC_LEVEL_AVX512BF16;
#endif
    const char *cap = getenv("FACECAP_KERNELS");
    if (cap) {
        int wanted = level;
        if (!strcmp(cap, "generic")) wanted = FC_LEVEL_GENERIC;
        else if (!strcmp(cap, "avx2")) wanted = FC_LEVEL_AVX2;
        else if (!strcmp(cap, "avx512")) wanted = FC_LEVEL_AVX512;
        else if (!strcmp(cap, "avx512bf16")) wanted = FC_LEVEL_AVX512BF16;
        if (wanted < level) level = wanted;
    }
    return level;
}

static int detected = -1;
static int current = -1;

int fc_detected_level(void) {
    if (detected < 0) detected = detect();
    return detected;
}

int fc_level(void) {
    if (current < 0) current = fc_detected_level();
    return current;
}

int fc_set_level(int level) {
    int top = fc_detected_level();
    current = level < FC_LEVEL_GENERIC ? FC_LEVEL_GENERIC : level > top ? top : level;
    return current;
}

void fc_half_matvec(const uint16_t *w, int isF16, int k, int o0, int o1,
                    const float *x, int ldx, int rows, float *y, int ldy, int accumulate) {
    int level = fc_level();
#if defined(__x86_64__)
    if (level >= FC_LEVEL_AVX512) { fc_half_matvec_avx512(w, isF16, k, o0, o1, x, ldx, rows, y, ldy, accumulate); return; }
    if (level >= FC_LEVEL_AVX2) { fc_half_matvec_avx2(w, isF16, k, o0, o1, x, ldx, rows, y, ldy, accumulate); return; }
#endif
    (void)level;
    fc_half_matvec_generic(w, isF16, k, o0, o1, x, ldx, rows, y, ldy, accumulate);
}

void fc_q8_matvec(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1,
                  const float *x, int ldx, int rows, float *y, int ldy, int accumulate) {
    int level = fc_level();
#if defined(__x86_64__)
    if (level >= FC_LEVEL_AVX512) { fc_q8_matvec_avx512(qs, scales, k, o0, o1, x, ldx, rows, y, ldy, accumulate); return; }
    if (level >= FC_LEVEL_AVX2) { fc_q8_matvec_avx2(qs, scales, k, o0, o1, x, ldx, rows, y, ldy, accumulate); return; }
#endif
    (void)level;
    fc_q8_matvec_generic(qs, scales, k, o0, o1, x, ldx, rows, y, ldy, accumulate);
}

int fc_has_vnni(void) {
    static int has = -1;
#if defined(__x86_64__)
    if (has < 0) { __builtin_cpu_init(); has = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl"); }
#else
    has = 0;
#endif
    return has;
}

void fc_q8_matvec_q8(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1,
                     const int8_t *xq, const float *xscale, float *y, int accumulate) {
    int level = fc_level();
#if defined(__x86_64__)
    if (level >= FC_LEVEL_AVX512 && fc_has_vnni()) { fc_q8_matvec_q8_vnni(qs, scales, k, o0, o1, xq, xscale, y, accumulate); return; }
    if (level >= FC_LEVEL_AVX2) { fc_q8_matvec_q8_avx2(qs, scales, k, o0, o1, xq, xscale, y, accumulate); return; }
#endif
    (void)level;
    fc_q8_matvec_q8_generic(qs, scales, k, o0, o1, xq, xscale, y, accumulate);
}

int fc_q8_rows_available(void) {
#if defined(__x86_64__)
    return fc_level() >= FC_LEVEL_AVX512 && fc_has_vnni();
#else
    return 0;
#endif
}

size_t fc_q8_rows_prepared_bytes(int k, int rows) {
    return (size_t)rows * (size_t)((k + 63) / 64) * FC_Q8ROWS_PAIR_BYTES + 64;
}

void fc_q8_rows_prepare(const float *x, int ldx, int rows, int k, void *prepared) {
#if defined(__x86_64__)
    if (fc_q8_rows_available()) fc_q8_rows_prepare_vnni(x, ldx, rows, k, prepared);
#else
    (void)x; (void)ldx; (void)rows; (void)k; (void)prepared;
#endif
}

void fc_q8_matvec_q8_rows(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, const void *prepared,
                          int rows, float *y, int ldy, int accumulate) {
#if defined(__x86_64__)
    if (fc_q8_rows_available()) fc_q8_matvec_q8_rows_vnni(qs, scales, k, o0, o1, prepared, rows, y, ldy, accumulate);
#else
    (void)qs; (void)scales; (void)k; (void)o0; (void)o1; (void)prepared; (void)rows; (void)y; (void)ldy; (void)accumulate;
#endif
}

float fc_read_sum(const void *p, size_t bytes) {
#if defined(__x86_64__)
    if (fc_level() >= FC_LEVEL_AVX512) return fc_read_sum_avx512(p, bytes);
    if (fc_level() >= FC_LEVEL_AVX2) return fc_read_sum_avx2(p, bytes);
#endif
    return fc_read_sum_generic(p, bytes);
}

// Activations and row kernels: the AVX-512 version where the level allows it, else AVX2, else
// generic (the only one built off x86-64).
#if defined(__x86_64__)
#define BY_LEVEL(NAME, ...) \
    do { \
        if (fc_level() >= FC_LEVEL_AVX512) { NAME##_avx512(__VA_ARGS__); return; } \
        if (fc_level() >= FC_LEVEL_AVX2) { NAME##_avx2(__VA_ARGS__); return; } \
        NAME##_generic(__VA_ARGS__); \
    } while (0)
#else
#define BY_LEVEL(NAME, ...) NAME##_generic(__VA_ARGS__)
#endif

void fc_gelu(float *x, size_t n) { BY_LEVEL(fc_gelu, x, n); }

void fc_softmax(float *x, size_t n) { BY_LEVEL(fc_softmax, x, n); }

void fc_layernorm(const float *x, float *y, size_t n, const float *gamma, const float *beta, float eps) {
    BY_LEVEL(fc_layernorm, x, y, n, gamma, beta, eps);
}

int fc_allowed_cpus(void) {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
#endif
    return 0;
}
