// Direct stride-1 convolution over a zero-padded image (contract in fovea_conv_direct.h).
//
// Why: a GEMM over packed panels pays one copy per im2col element, which only pays off when the
// packed panel is reused by many output-channel tiles. With few output channels (LeNet's 1→6 and
// 6→16, input gradients into 6 channels) every panel is used once or twice, and packing cost as much
// as the multiply. Here the FMAs read the shifted image rows themselves: the forward broadcasts
// weights against vectors of 16 output pixels, the weight gradient takes dot products along rows.
#include "fovea_conv_direct.h"

#if defined(__x86_64__)
#include <immintrin.h>

// MARK: - Forward: MR output channels × NV vectors of 16 output pixels per tile

// Where a tile's NV vectors are: vector v reads x_p + start + v·in_stride and writes
// out + v·out_stride, lanes in mask[v] (others neither read nor written). Column tiles are 16 floats
// apart on one padded-width row; row tiles are one output row each.
typedef struct {
    long start, in_stride, out_stride;
    __mmask16 mask[3];
} span;

static inline __mmask16 lanes(long n) {
    return n >= 16 ? (__mmask16)0xFFFF : n <= 0 ? (__mmask16)0 : (__mmask16)((1u << n) - 1);
}

// acc[i][v] += w[i·k + p] · x_p[vector v].
#define SHIFTED_TILE(MR, NV)                                                                            \
__attribute__((target("avx512f"))) static void shifted_tile_##MR##x##NV(                              \
    long k, const float *w, const float *base, const long *offsets, const span *s, float *out, long ldo) { \
    __m512 acc[MR][NV];                                                                                \
    _Pragma("clang loop unroll(full)")                                                                 \
    for (int i = 0; i < MR; i++) {                                                                     \
        _Pragma("clang loop unroll(full)")                                                             \
        for (int v = 0; v < NV; v++) acc[i][v] = _mm512_setzero_ps();                                  \
    }                                                                                                  \
    for (long p = 0; p < k; p++) {                                                                     \
        const float *x = base + offsets[p] + s->start;                                                 \
        __m512 xv[NV];                                                                                 \
        _Pragma("clang loop unroll(full)")                                                             \
        for (int v = 0; v < NV; v++) xv[v] = _mm512_maskz_loadu_ps(s->mask[v], x + v * s->in_stride);  \
        _Pragma("clang loop unroll(full)")                                                             \
        for (int i = 0; i < MR; i++) {                                                                 \
            __m512 wi = _mm512_set1_ps(w[i * k + p]);                                                  \
            _Pragma("clang loop unroll(full)")                                                         \
            for (int v = 0; v < NV; v++) acc[i][v] = _mm512_fmadd_ps(wi, xv[v], acc[i][v]);           \
        }                                                                                              \
    }                                                                                                  \
    _Pragma("clang loop unroll(full)")                                                                 \
    for (int i = 0; i < MR; i++) {                                                                     \
        _Pragma("clang loop unroll(full)")                                                             \
        for (int v = 0; v < NV; v++) _mm512_mask_storeu_ps(out + i * ldo + v * s->out_stride, s->mask[v], acc[i][v]); \
    }                                                                                                  \
}

// All output channels over one tile of NV vectors: tiles of 8 channels, then 4, 2, 1.
#define SHIFTED_CHANNELS(NV)                                                                           \
SHIFTED_TILE(8, NV) SHIFTED_TILE(4, NV) SHIFTED_TILE(2, NV) SHIFTED_TILE(1, NV)                        \
static void shifted_channels_##NV(long m, long k, const float *w, const float *base, const long *offsets, \
                                  const span *s, float *out, long ldo) {                              \
    long o = 0;                                                                                        \
    for (; o + 8 <= m; o += 8) shifted_tile_8x##NV(k, w + o * k, base, offsets, s, out + o * ldo, ldo); \
    if (o + 4 <= m) { shifted_tile_4x##NV(k, w + o * k, base, offsets, s, out + o * ldo, ldo); o += 4; } \
    if (o + 2 <= m) { shifted_tile_2x##NV(k, w + o * k, base, offsets, s, out + o * ldo, ldo); o += 2; } \
    if (o < m) shifted_tile_1x##NV(k, w + o * k, base, offsets, s, out + o * ldo, ldo);                \
}

SHIFTED_CHANNELS(3)
SHIFTED_CHANNELS(2)
SHIFTED_CHANNELS(1)

static void shifted_channels(long vectors, long m, long k, const float *w, const float *base, const long *offsets,
                             const span *s, float *out, long ldo) {
    if (vectors == 3) shifted_channels_3(m, k, w, base, offsets, s, out, ldo);
    else if (vectors == 2) shifted_channels_2(m, k, w, base, offsets, s, out, ldo);
    else shifted_channels_1(m, k, w, base, offsets, s, out, ldo);
}

static void shifted_product_avx512(long m, long n, long k, const float *w, const float *base, const long *offsets,
                                   float *out, long ldo) {
    // Column tiles outside, so one tile's slices of every tap stay in L1 across channel tiles; the
    // last tile is only as wide as it needs (a 7x7 map's 61 columns: 48 + 16, not 48 + 48).
    for (long j0 = 0; j0 < n; j0 += 48) {
        const long cols = n - j0 < 48 ? n - j0 : 48;
        const span s = {j0, 16, 16, {lanes(cols), lanes(cols - 16), lanes(cols - 32)}};
        shifted_channels((cols + 15) / 16, m, k, w, base, offsets, &s, out + j0, ldo);
    }
}

static void shifted_rows_avx512(long m, long rows, long width, long k, const float *w, const float *base,
                                long in_row_stride, const long *offsets, float *out, long ldo, long out_row_stride) {
    // Up to three output rows per tile, one vector each.
    const __mmask16 mask = lanes(width);
    for (long r0 = 0; r0 < rows; r0 += 3) {
        const long count = rows - r0 < 3 ? rows - r0 : 3;
        const span s = {r0 * in_row_stride, in_row_stride, out_row_stride, {mask, count > 1 ? mask : 0, count > 2 ? mask : 0}};
        shifted_channels(count, m, k, w, base, offsets, &s, out + r0 * out_row_stride, ldo);
    }
}

// MARK: - Weight gradient: 4 output channels × 4 taps of dot products along the row

__attribute__((target("avx512f")))
static void weight_grad_avx512(long m, long n, long k, const float *g, long ldg, const float *base,
                               const long *offsets, float *dw, int accumulate) {
    for (long o0 = 0; o0 < m; o0 += 4) {
        // Ragged blocks repeat the last row or tap and drop its sums.
        const float *gr[4];
        for (int i = 0; i < 4; i++) gr[i] = g + (o0 + i < m ? o0 + i : m - 1) * ldg;
        for (long p0 = 0; p0 < k; p0 += 4) {
            const float *xr[4];
            for (int t = 0; t < 4; t++) xr[t] = base + offsets[p0 + t < k ? p0 + t : k - 1];
            __m512 acc[4][4];
            _Pragma("clang loop unroll(full)")
            for (int i = 0; i < 4; i++) {
                _Pragma("clang loop unroll(full)")
                for (int t = 0; t < 4; t++) acc[i][t] = _mm512_setzero_ps();
            }
            for (long j = 0; j < n; j += 16) {
                const __mmask16 mask = n - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - j)) - 1);
                __m512 gv[4], xv[4];
                _Pragma("clang loop unroll(full)")
                for (int i = 0; i < 4; i++) gv[i] = _mm512_maskz_loadu_ps(mask, gr[i] + j);
                _Pragma("clang loop unroll(full)")
                for (int t = 0; t < 4; t++) xv[t] = _mm512_maskz_loadu_ps(mask, xr[t] + j);
                _Pragma("clang loop unroll(full)")
                for (int i = 0; i < 4; i++) {
                    _Pragma("clang loop unroll(full)")
                    for (int t = 0; t < 4; t++) acc[i][t] = _mm512_fmadd_ps(gv[i], xv[t], acc[i][t]);
                }
            }
            for (int i = 0; i < 4 && o0 + i < m; i++) {
                for (int t = 0; t < 4 && p0 + t < k; t++) {
                    float s = _mm512_reduce_add_ps(acc[i][t]);
                    float *d = dw + (o0 + i) * k + p0 + t;
                    *d = accumulate ? *d + s : s;
                }
            }
        }
    }
}

void fovea_conv_shifted_product(long m, long n, long k, const float *w, const float *base, const long *offsets,
                                float *out, long ldo) {
    shifted_product_avx512(m, n, k, w, base, offsets, out, ldo);
}

void fovea_conv_shifted_rows(long m, long rows, long width, long k, const float *w, const float *base,
                             long in_row_stride, const long *offsets, float *out, long ldo, long out_row_stride) {
    shifted_rows_avx512(m, rows, width, k, w, base, in_row_stride, offsets, out, ldo, out_row_stride);
}

void fovea_conv_shifted_weight_grad(long m, long n, long k, const float *g, long ldg, const float *base,
                                    const long *offsets, float *dw, int accumulate) {
    weight_grad_avx512(m, n, k, g, ldg, base, offsets, dw, accumulate);
}
#else
// Never called off x86 (the caller checks fovea_cpu_features()); defined so the symbols always link.
void fovea_conv_shifted_product(long m, long n, long k, const float *w, const float *base, const long *offsets,
                                float *out, long ldo) { __builtin_trap(); }
void fovea_conv_shifted_rows(long m, long rows, long width, long k, const float *w, const float *base,
                             long in_row_stride, const long *offsets, float *out, long ldo, long out_row_stride) {
    __builtin_trap();
}
void fovea_conv_shifted_weight_grad(long m, long n, long k, const float *g, long ldg, const float *base,
                                    const long *offsets, float *dw, int accumulate) { __builtin_trap(); }
#endif
