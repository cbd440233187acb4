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

/// dw[o·k + p] = (accumulate ? dw[o·k + p] : 0) + Σ_{j<n} g[o·ldg + j] · base[offsets[p] + j] for o < m,
/// p < k. Shapes: g (m, ≥ n) with row stride ldg (zero in the junk columns), dw (m, k).
/// Sums in a fixed order (deterministic).
void fovea_conv_shifted_weight_grad(long m, long n, long k, const float *g, long ldg, const float *base,
                                    const long *offsets, float *dw, int accumulate);

#endif
