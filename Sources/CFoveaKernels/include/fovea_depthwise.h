#ifndef FOVEA_DEPTHWISE_H
#define FOVEA_DEPTHWISE_H

/// Depthwise-convolution row kernels on one zero-padded plane (see depthwise.c). `level` picks the
/// build of the same code: 1 = AVX2+FMA, 0 = portable. The caller decides (Swift's
/// KernelOptions.depthwisePath): pass 1 only when fovea_cpu_features() reports FOVEA_CPU_AVX2_FMA.
/// Off x86-64 there is only the portable build and `level` is ignored.

/// out[oh·outStride + ow] = bias + Σ_{kh,kw} w[kh·KW + kw] · in[(oh·strideH + kh·dilH)·inStride + ow + kw·dilW]
/// for oh < OH, ow < OW (unit column stride). `in` rows must have ⌈OW/8⌉·8 + (KW − 1)·dilW readable columns.
void fovea_dw_correlate(int level, const float *in, long inStride, long strideH, const float *w, long KH, long KW,
                                   long dilH, long dilW, float bias, float *out, long outStride, long OH, long OW);

/// gw[kh·KW + kw] += Σ_{oh,ow} dy[oh·dyStride + ow] · in[(oh·strideH + kh·dilH)·inStride + ow + kw·dilW]
/// over oh < OH and ow < ⌈OW/8⌉·8: `dy` rows must be zero from OW to ⌈OW/8⌉·8 and `in` rows readable
/// as for fovea_dw_correlate. KH·KW ≤ 256. Sums in a fixed order (deterministic).
void fovea_dw_weight_grad(int level, const float *in, long inStride, long strideH, const float *dy, long dyStride,
                                     long KH, long KW, long dilH, long dilW, long OH, long OW, float *gw);

/// fovea_dw_weight_grad for unit row stride, faster: `dy` rows (stride dyStride, zero from OW to ⌈OW/8⌉·8)
/// must be readable and zero for 2·dilH rows above row 0 and below row OH − 1.
void fovea_dw_weight_grad_unit_stride(int level, const float *in, long inStride, const float *dy, long dyStride,
                                                 long KH, long KW, long dilH, long dilW, long OH, long OW, float *gw);

#endif
