#ifndef FOVEA_CONV_DIRECT_H
#define FOVEA_CONV_DIRECT_H

/// Direct stride-1 convolution products over a zero-padded image, with no packing (see conv_direct.c).
/// Tap p's input row is the shifted slice `base[offsets[p] + j]` of the padded (C, Hp, Wp) image, and
/// column j = oh·Wp + ow is an output pixel on the padded width (Wp − OW junk columns per row).
/// AVX-512F only: call them only when fovea_cpu_features() reports FOVEA_CPU_AVX512F.

/// out[o·ldo + j] = Σ_{p<k} w[o·k + p] · base[offsets[p] + j] for o < m, j < n.
/// Shapes: w (m, k) row-major, out (m, ≥ n) with row stride ldo.
void fovea_conv_shifted_product(long m, long n, long k, const float *w, const float *base, const long *offsets,
                                float *out, long ldo);

/// The same product over output rows no wider than one vector (width ≤ 16), three rows per tile:
/// out[o·ldo + r·out_row_stride + j] = Σ_{p<k} w[o·k + p] · base[offsets[p] + r·in_row_stride + j]
/// for o < m, r < rows, j < width — the junk columns between rows are neither computed nor stored.
void fovea_conv_shifted_rows(long m, long rows, long width, long k, const float *w, const float *base,
                             long in_row_stride, const long *offsets, float *out, long ldo, long out_row_stride);

/// dw[o·k + p] = (accumulate ? dw[o·k + p] : 0) + Σ_{j<n} g[o·ldg + j] · base[offsets[p] + j] for o < m,
/// p < k. Shapes: g (m, ≥ n) with row stride ldg (zero in the junk columns), dw (m, k).
/// Sums in a fixed order (deterministic).
void fovea_conv_shifted_weight_grad(long m, long n, long k, const float *g, long ldg, const float *base,
                                    const long *offsets, float *dw, int accumulate);

#endif
