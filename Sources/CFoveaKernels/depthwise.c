// Depthwise-convolution row kernels. The Swift side (DepthwiseConv2d.swift) copies each plane into a
// zero-padded scratch plane, so these loops have no borders: every output row is whole 8-float vectors.
//
// One generic body, written with clang vector extensions, is compiled twice: once with
// target("avx2,fma") — where `a * b + c` contracts to vfmadd231ps on ymm — and once for the baseline
// target (SSE2 on x86-64, NEON on arm64). Swift cannot do this itself without unsafe compiler flags.
// The caller picks the build (`level`), so tests can run both on one CPU.
#include "CFoveaKernels.h"
#include <string.h>

// The 32-byte vector helpers below are always inlined, so the baseline build's warning that passing
// them by value "changes the ABI" does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float v8f __attribute__((vector_size(32)));

#define INLINE static inline __attribute__((always_inline))

INLINE v8f load8(const float *p) { v8f v; memcpy(&v, p, sizeof v); return v; }
INLINE void store8(float *p, v8f v) { memcpy(p, &v, sizeof v); }
INLINE v8f splat8(float s) { return (v8f){s, s, s, s, s, s, s, s}; }

// Stores NB accumulators; `cols` < 8·NB only on a row's last block, which goes through a buffer so
// the row's end is not overrun.
INLINE void store_row(float *out, const v8f *acc, long cols, const int NB) {
    if (cols >= 8 * NB) {
        for (int j = 0; j < NB; j++) store8(out + 8 * j, acc[j]);
    } else {
        float tmp[64];
        for (int j = 0; j < NB; j++) store8(tmp + 8 * j, acc[j]);
        memcpy(out, tmp, (size_t)cols * sizeof(float));
    }
}

// One output row, NB vectors (the strided / dilated-row path): every tap's weight is broadcast once and
// applied to NB accumulators held in registers (NB ≤ 8 leaves room for the broadcast).
INLINE void correlate_block(const float *in, long inStride, const float *w, long KH, long KW, long dilH,
                            long dilW, float bias, float *out, long cols, const int NB) {
    v8f acc[8];
    for (int j = 0; j < NB; j++) acc[j] = splat8(bias);
    for (long kh = 0; kh < KH; kh++) {
        const float *row = in + kh * dilH * inStride;
        for (long kw = 0; kw < KW; kw++) {
            v8f wv = splat8(w[kh * KW + kw]);
            const float *p = row + kw * dilW;
            for (int j = 0; j < NB; j++) acc[j] = wv * load8(p + 8 * j) + acc[j];
        }
    }
    store_row(out, acc, cols, NB);
}

// One input row's contribution to output rows lo..<hi of the tile (row r uses kernel row i − r); the
// row range is a literal at every call so the loops unroll without branches.
INLINE void tile_row(v8f (*acc)[4], const float *row, const float *w, long i, long KW, long dilW,
                     const int NB, const int lo, const int hi) {
    v8f x[4];
    for (long kw = 0; kw < KW; kw++) {
        for (int j = 0; j < NB; j++) x[j] = load8(row + kw * dilW + 8 * j);
        for (int r = lo; r < hi; r++) {
            v8f wv = splat8(w[(i - r) * KW + kw]);
            for (int j = 0; j < NB; j++) acc[r][j] = wv * x[j] + acc[r][j];
        }
    }
}

// R output rows × NB vectors at once (unit row stride and dilation). Input row i feeds output row r
// through kernel row i − r, so each loaded input vector serves up to R FMAs and the loop is bound by
// FMA throughput rather than loads (of which those at odd column shifts often straddle cache lines).
// R·NB accumulators + NB inputs + 1 broadcast must fit the 16 ymm registers.
INLINE void correlate_tile(const float *in, long inStride, const float *w, long KH, long KW, long dilW,
                           float bias, float *out, long outStride, long cols, const int R, const int NB) {
    v8f acc[4][4];
    for (int r = 0; r < R; r++)
        for (int j = 0; j < NB; j++) acc[r][j] = splat8(bias);
    for (long i = 0; i < KH + R - 1; i++) {
        const float *row = in + i * inStride;
        long lo = i - KH + 1 > 0 ? i - KH + 1 : 0, hi = i + 1 < R ? i + 1 : R;
#define FOVEA_TILE_ROW(L, H) if (lo == L && hi == H) { tile_row(acc, row, w, i, KW, dilW, NB, L, H); continue; }
        FOVEA_TILE_ROW(0, 4) FOVEA_TILE_ROW(0, 3) FOVEA_TILE_ROW(0, 2) FOVEA_TILE_ROW(0, 1)
        FOVEA_TILE_ROW(1, 4) FOVEA_TILE_ROW(2, 4) FOVEA_TILE_ROW(3, 4)
        FOVEA_TILE_ROW(1, 3) FOVEA_TILE_ROW(2, 3) FOVEA_TILE_ROW(1, 2)
#undef FOVEA_TILE_ROW
    }
    for (int r = 0; r < R; r++) store_row(out + r * outStride, acc[r], cols, NB);
}

// One column strip of NB vectors, all rows: bands of R rows, then the leftover rows as one smaller tile.
INLINE void correlate_strip(const float *in, long inStride, const float *w, long KH, long KW, long dilW, float bias,
                            float *out, long outStride, long OH, long cols, const int R, const int NB) {
    long oh = 0;
    for (; oh + R <= OH; oh += R)
        correlate_tile(in + oh * inStride, inStride, w, KH, KW, dilW, bias, out + oh * outStride, outStride, cols, R, NB);
    const float *src = in + oh * inStride;
    float *dst = out + oh * outStride;
    switch (OH - oh) {
    case 3: correlate_tile(src, inStride, w, KH, KW, dilW, bias, dst, outStride, cols, 3, NB); break;
    case 2: correlate_tile(src, inStride, w, KH, KW, dilW, bias, dst, outStride, cols, 2, NB); break;
    case 1: correlate_tile(src, inStride, w, KH, KW, dilW, bias, dst, outStride, cols, 1, NB); break;
    default: break;
    }
}

// The plane as column strips. Tile shapes (rows × vectors) 3×3, 2×4, 4×2, 4×1 keep accumulators,
// inputs and one broadcast within 16 registers; strips of 3 vectors are preferred (fewest loads per
// FMA), with one or two strips of 4 absorbing the remainder (56 columns = 3 + 4 vectors). Called with
// a literal KW for the common kernel widths so the tap loop unrolls completely.
INLINE void correlate_strips(const float *in, long inStride, const float *w, long KH, long KW, long dilW,
                             float bias, float *out, long outStride, long OH, long OW) {
    for (long ow = 0; ow < OW;) {
        long left = OW - ow, vecs = (left + 7) / 8;
        long nb = vecs <= 2 ? vecs : (vecs % 3 == 0 ? 3 : 4);
        const float *src = in + ow;
        float *dst = out + ow;
        switch (nb) {
        case 4: correlate_strip(src, inStride, w, KH, KW, dilW, bias, dst, outStride, OH, left, 2, 4); break;
        case 3: correlate_strip(src, inStride, w, KH, KW, dilW, bias, dst, outStride, OH, left, 3, 3); break;
        case 2: correlate_strip(src, inStride, w, KH, KW, dilW, bias, dst, outStride, OH, left, 4, 2); break;
        default: correlate_strip(src, inStride, w, KH, KW, dilW, bias, dst, outStride, OH, left, 4, 1); break;
        }
        ow += 8 * nb;
    }
}

INLINE void correlate_body(const float *in, long inStride, long strideH, const float *w, long KH, long KW,
                           long dilH, long dilW, float bias, float *out, long outStride, long OH, long OW) {
    if (strideH == 1 && dilH == 1) {
        switch (KW) {
        case 3: correlate_strips(in, inStride, w, KH, 3, dilW, bias, out, outStride, OH, OW); return;
        case 7: correlate_strips(in, inStride, w, KH, 7, dilW, bias, out, outStride, OH, OW); return;
        default: correlate_strips(in, inStride, w, KH, KW, dilW, bias, out, outStride, OH, OW); return;
        }
    }
    // Strided or dilated rows: one output row at a time.
    for (long oh = 0; oh < OH; oh++) {
        const float *src = in + oh * strideH * inStride;
        float *dst = out + oh * outStride;
        for (long ow = 0; ow < OW;) {
            long left = OW - ow, vecs = (left + 7) / 8;
            const float *s = src + ow;
            float *d = dst + ow;
            switch (vecs >= 8 ? 8 : vecs) {
            case 8: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 8); ow += 64; break;
            case 7: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 7); ow += 56; break;
            case 6: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 6); ow += 48; break;
            case 5: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 5); ow += 40; break;
            case 4: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 4); ow += 32; break;
            case 3: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 3); ow += 24; break;
            case 2: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 2); ow += 16; break;
            default: correlate_block(s, inStride, w, KH, KW, dilH, dilW, bias, d, left, 1); ow += 8; break;
            }
        }
    }
}

// Weight gradient for any row stride: NB vectors of one gradient row stay in registers while every kw
// of the tap row reuses them; two partial sums per tap halve the FMA dependency chain.
INLINE void weight_grad_block(const float *row, const float *g, long KW, long dilW, v8f *acc, const int NB) {
    v8f d[4];
    for (int j = 0; j < NB; j++) d[j] = load8(g + 8 * j);
    for (long kw = 0; kw < KW; kw++) {
        const float *p = row + kw * dilW;
        v8f a0 = d[0] * load8(p), a1 = splat8(0);
        for (int j = 1; j < NB; j++) {
            if (j & 1) a1 = d[j] * load8(p + 8 * j) + a1;
            else a0 = d[j] * load8(p + 8 * j) + a0;
        }
        acc[kw] += a0 + a1;
    }
}

INLINE void weight_grad_body(const float *in, long inStride, long strideH, const float *dy, long dyStride,
                             long KH, long KW, long dilH, long dilW, long OH, long OW, float *gw) {
    v8f acc[256];
    for (long t = 0; t < KH * KW; t++) acc[t] = splat8(0);
    long vecs = (OW + 7) / 8;
    for (long oh = 0; oh < OH; oh++) {
        const float *g = dy + oh * dyStride;
        for (long kh = 0; kh < KH; kh++) {
            const float *row = in + (oh * strideH + kh * dilH) * inStride;
            v8f *a = acc + kh * KW;
            long v = 0;
            for (; v + 4 <= vecs; v += 4) weight_grad_block(row + 8 * v, g + 8 * v, KW, dilW, a, 4);
            switch (vecs - v) {
            case 3: weight_grad_block(row + 8 * v, g + 8 * v, KW, dilW, a, 3); break;
            case 2: weight_grad_block(row + 8 * v, g + 8 * v, KW, dilW, a, 2); break;
            case 1: weight_grad_block(row + 8 * v, g + 8 * v, KW, dilW, a, 1); break;
            default: break;
            }
        }
    }
    for (long t = 0; t < KH * KW; t++) {
        v8f a = acc[t];
        // Fixed pairwise lane order, so repeated runs agree bit for bit.
        gw[t] += ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
    }
}

// Weight gradient at unit row stride, by tap groups of RK kernel rows × RW kernel columns whose
// RK·RW sums stay in registers for a whole pass over the plane. Walking the padded input by its rows r,
// the RK gradient vectors dy[r − kh·dilH] are loaded once and reused for all RW column shifts, so
// each FMA costs under one load. `dy` has (2·dilH) zero rows above and below (for RK ≤ 3), so rows
// outside the image read as zero instead of needing bounds checks.
INLINE void weight_grad_group(const float *in, long inStride, const float *dy, long dyStride, long OH, long vecs,
                              long kh0, long kw0, long KW, long dilH, long dilW, float *gw, const int RK, const int RW) {
    v8f acc[3][3];
    for (int k = 0; k < RK; k++)
        for (int c = 0; c < RW; c++) acc[k][c] = splat8(0);
    long r0 = kh0 * dilH, r1 = OH - 1 + (kh0 + RK - 1) * dilH;
    for (long r = r0; r <= r1; r++) {
        const float *row = in + r * inStride + kw0 * dilW;
        const float *g[3];
        for (int k = 0; k < RK; k++) g[k] = dy + (r - (kh0 + k) * dilH) * dyStride;
        for (long v = 0; v < vecs; v++) {
            v8f d[3];
            for (int k = 0; k < RK; k++) d[k] = load8(g[k] + 8 * v);
            for (int c = 0; c < RW; c++) {
                v8f p = load8(row + c * dilW + 8 * v);
                for (int k = 0; k < RK; k++) acc[k][c] = d[k] * p + acc[k][c];
            }
        }
    }
    for (int k = 0; k < RK; k++)
        for (int c = 0; c < RW; c++) {
            v8f a = acc[k][c];
            gw[(kh0 + k) * KW + kw0 + c] += ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
        }
}

#define FOVEA_WG(RKc, RWc) weight_grad_group(in, inStride, dy, dyStride, OH, vecs, kh0, kw0, KW, dilH, dilW, gw, RKc, RWc)

INLINE void weight_grad_groups(const float *in, long inStride, const float *dy, long dyStride, long KH, long KW,
                               long dilH, long dilW, long OH, long OW, float *gw) {
    long vecs = (OW + 7) / 8;
    for (long kh0 = 0; kh0 < KH; kh0 += 3) {
        long rk = KH - kh0 < 3 ? KH - kh0 : 3;
        for (long kw0 = 0; kw0 < KW; kw0 += 3) {
            long rw = KW - kw0 < 3 ? KW - kw0 : 3;
            switch (rk * 4 + rw) {
            case 15: FOVEA_WG(3, 3); break;
            case 14: FOVEA_WG(3, 2); break;
            case 13: FOVEA_WG(3, 1); break;
            case 11: FOVEA_WG(2, 3); break;
            case 10: FOVEA_WG(2, 2); break;
            case 9: FOVEA_WG(2, 1); break;
            case 7: FOVEA_WG(1, 3); break;
            case 6: FOVEA_WG(1, 2); break;
            default: FOVEA_WG(1, 1); break;
            }
        }
    }
}
#undef FOVEA_WG

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx2,fma")))
static void correlate_avx2(const float *in, long inStride, long strideH, const float *w, long KH, long KW,
                           long dilH, long dilW, float bias, float *out, long outStride, long OH, long OW) {
    correlate_body(in, inStride, strideH, w, KH, KW, dilH, dilW, bias, out, outStride, OH, OW);
}

__attribute__((target("avx2,fma")))
static void weight_grad_groups_avx2(const float *in, long inStride, const float *dy, long dyStride, long KH, long KW,
                                    long dilH, long dilW, long OH, long OW, float *gw) {
    weight_grad_groups(in, inStride, dy, dyStride, KH, KW, dilH, dilW, OH, OW, gw);
}

__attribute__((target("avx2,fma")))
static void weight_grad_avx2(const float *in, long inStride, long strideH, const float *dy, long dyStride,
                             long KH, long KW, long dilH, long dilW, long OH, long OW, float *gw) {
    weight_grad_body(in, inStride, strideH, dy, dyStride, KH, KW, dilH, dilW, OH, OW, gw);
}

#define FOVEA_DW_AVX2 1
#endif

void fovea_dw_correlate(int level, const float *in, long inStride, long strideH, const float *w, long KH, long KW,
                                   long dilH, long dilW, float bias, float *out, long outStride, long OH, long OW) {
#ifdef FOVEA_DW_AVX2
    if (level >= 1) { correlate_avx2(in, inStride, strideH, w, KH, KW, dilH, dilW, bias, out, outStride, OH, OW); return; }
#endif
    correlate_body(in, inStride, strideH, w, KH, KW, dilH, dilW, bias, out, outStride, OH, OW);
}

void fovea_dw_weight_grad(int level, const float *in, long inStride, long strideH, const float *dy, long dyStride,
                                     long KH, long KW, long dilH, long dilW, long OH, long OW, float *gw) {
#ifdef FOVEA_DW_AVX2
    if (level >= 1) { weight_grad_avx2(in, inStride, strideH, dy, dyStride, KH, KW, dilH, dilW, OH, OW, gw); return; }
#endif
    weight_grad_body(in, inStride, strideH, dy, dyStride, KH, KW, dilH, dilW, OH, OW, gw);
}

void fovea_dw_weight_grad_unit_stride(int level, const float *in, long inStride, const float *dy, long dyStride,
                                                 long KH, long KW, long dilH, long dilW, long OH, long OW, float *gw) {
#ifdef FOVEA_DW_AVX2
    if (level >= 1) { weight_grad_groups_avx2(in, inStride, dy, dyStride, KH, KW, dilH, dilW, OH, OW, gw); return; }
#endif
    weight_grad_groups(in, inStride, dy, dyStride, KH, KW, dilH, dilW, OH, OW, gw);
}
