// Portable versions: the last fallback, and the reference the wider kernels are tested against.
#include "kernels.h"
#include "internal.h"
#include <math.h>
#include <string.h>

static inline float bits_to_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static inline uint32_t float_to_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

float fc_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, magnitude = (uint32_t)(h & 0x7FFF) << 13;
    // Rescaling by 2^112 moves the exponent bias from 15 to 127 (exact for normals and subnormals).
    float value = bits_to_float(magnitude) * 0x1p112f;
    if ((h & 0x7C00) == 0x7C00) value = bits_to_float(magnitude | 0x7F800000);
    return bits_to_float(float_to_bits(value) | sign);
}

uint16_t fc_f32_to_f16(float f) {
    uint32_t bits = float_to_bits(f), sign = (bits >> 16) & 0x8000;
    float a = fabsf(f);
    if (isnan(f)) return (uint16_t)(sign | 0x7E00);
    if (a >= 65520.0f) return (uint16_t)(sign | 0x7C00);
    if (a < 0x1p-14f) {
        // Subnormal: round to a multiple of 2^-24 (nearest even via the FPU's default rounding).
        return (uint16_t)(sign | (uint32_t)nearbyintf(a * 0x1p24f));
    }
    uint32_t ab = float_to_bits(a);
    uint32_t mantissa = ab & 0x7FFFFF, exponent = (ab >> 23) - 127 + 15;
    uint32_t half = (exponent << 10) | (mantissa >> 13);
    uint32_t rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) half += 1;  // carries into the exponent correctly
    return (uint16_t)(sign | half);
}

static inline float widen(uint16_t h, int isF16) { return isF16 ? fc_f16_to_f32(h) : bits_to_float((uint32_t)h << 16); }

void fc_half_matvec_generic(FC_MATVEC_ARGS) {
    for (int o = o0; o < o1; o++) {
        const uint16_t *row = w + (size_t)o * k;
        for (int r = 0; r < rows; r++) {
            const float *xr = x + (size_t)r * ldx;
            float sum = 0;
            for (int i = 0; i < k; i++) sum += widen(row[i], isF16) * xr[i];
            fc_store(y + (size_t)r * ldy + o, sum, accumulate);
        }
    }
}

void fc_q8_quantize(const float *w, int k, int rows, int8_t *qs, uint16_t *scales) {
    int blocks = (k + 31) / 32;
    size_t rowBytes = fc_q8_row_bytes(k);
    for (int o = 0; o < rows; o++) {
        const float *row = w + (size_t)o * k;
        int8_t *q = qs + (size_t)o * rowBytes;
        for (int b = 0; b < blocks; b++) {
            int start = b * 32, end = start + 32 < k ? start + 32 : k;
            float amax = 0;
            for (int i = start; i < end; i++) amax = fmaxf(amax, fabsf(row[i]));
            // Quantize against the scale as stored (F16), so the stored pair reproduces w as closely
            // as the 8 bits allow.
            uint16_t d16 = fc_f32_to_f16(amax / 127.0f);
            float d = fc_f16_to_f32(d16);
            scales[(size_t)o * blocks + b] = d16;
            for (int i = start; i < start + 32; i++) {
                float v = (i < end && d > 0) ? nearbyintf(row[i] / d) : 0;
                q[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
            }
        }
    }
}

void fc_q8_dequantize(const int8_t *qs, const uint16_t *scales, int k, int o0, int o1, float *out) {
    int blocks = (k + 31) / 32;
    size_t rowBytes = fc_q8_row_bytes(k);
    for (int o = o0; o < o1; o++) {
        const int8_t *q = qs + (size_t)o * rowBytes;
        float *dst = out + (size_t)(o - o0) * k;
        for (int b = 0; b < blocks; b++) {
            float d = fc_f16_to_f32(scales[(size_t)o * blocks + b]);
            int start = b * 32, end = start + 32 < k ? start + 32 : k;
            for (int i = start; i < end; i++) dst[i] = d * (float)q[i];
        }
    }
}

void fc_q8_matvec_generic(FC_Q8_ARGS) {
    int blocks = (k + 31) / 32;
    size_t rowBytes = fc_q8_row_bytes(k);
    for (int o = o0; o < o1; o++) {
        const int8_t *q = qs + (size_t)o * rowBytes;
        for (int r = 0; r < rows; r++) {
            const float *xr = x + (size_t)r * ldx;
            float sum = 0;
            for (int b = 0; b < blocks; b++) {
                int start = b * 32, end = start + 32 < k ? start + 32 : k;
                float block = 0;
                for (int i = start; i < end; i++) block += (float)q[i] * xr[i];
                sum += fc_f16_to_f32(scales[(size_t)o * blocks + b]) * block;
            }
            fc_store(y + (size_t)r * ldy + o, sum, accumulate);
        }
    }
}

void fc_q8_quantize_row(const float *x, int k, int8_t *xq, float *xscale) {
    int blocks = (k + 31) / 32;
    for (int b = 0; b < blocks; b++) {
        int start = b * 32, end = start + 32 < k ? start + 32 : k;
        float amax = 0;
        for (int i = start; i < end; i++) amax = fmaxf(amax, fabsf(x[i]));
        float d = amax / 127.0f, inv = d > 0 ? 127.0f / amax : 0;
        xscale[b] = d;
        for (int i = start; i < start + 32; i++) {
            float v = i < end ? nearbyintf(x[i] * inv) : 0;
            xq[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
        }
    }
}

void fc_q8_matvec_q8_generic(FC_Q8Q8_ARGS) {
    int blocks = (k + 31) / 32;
    size_t rowBytes = fc_q8_row_bytes(k);
    for (int o = o0; o < o1; o++) {
        const int8_t *q = qs + (size_t)o * rowBytes;
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int32_t dot = 0;
            for (int i = b * 32; i < b * 32 + 32; i++) dot += (int32_t)q[i] * (int32_t)xq[i];
            sum += fc_f16_to_f32(scales[(size_t)o * blocks + b]) * xscale[b] * (float)dot;
        }
        fc_store(y + o, sum, accumulate);
    }
}

float fc_read_sum_generic(const void *p, size_t bytes) {
    const float *f = p;
    size_t n = bytes / 4;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) { s0 += f[i]; s1 += f[i + 1]; s2 += f[i + 2]; s3 += f[i + 3]; }
    return s0 + s1 + s2 + s3;
}

void fc_gelu_generic(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752440f));
}

void fc_softmax_generic(float *x, size_t n) {
    float maxValue = -__builtin_inff();
    for (size_t i = 0; i < n; i++) if (x[i] > maxValue) maxValue = x[i];
    float sum = 0;
    for (size_t i = 0; i < n; i++) { x[i] = expf(x[i] - maxValue); sum += x[i]; }
    float inv = 1.0f / sum;
    for (size_t i = 0; i < n; i++) x[i] *= inv;
}

void fc_layernorm_generic(const float *x, float *y, size_t n, const float *gamma, const float *beta, float eps) {
    float mean = 0;
    for (size_t i = 0; i < n; i++) mean += x[i];
    mean /= (float)n;
    float variance = 0;
    for (size_t i = 0; i < n; i++) { float d = x[i] - mean; variance += d * d; }
    variance /= (float)n;
    float inv = 1.0f / sqrtf(variance + eps);
    for (size_t i = 0; i < n; i++) {
        float out = (x[i] - mean) * inv;
        if (gamma) out *= gamma[i];
        if (beta) out += beta[i];
        y[i] = out;
    }
}
