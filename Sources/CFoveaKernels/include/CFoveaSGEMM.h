#ifndef CFOVEA_SGEMM_H
#define CFOVEA_SGEMM_H

/// SGEMM micro-kernels. Each computes one MR×NR tile of row-major C:
///
///     C[i][j] = alpha · Σ_p a[p·MR + i] · b[p·NR + j] + beta · C[i][j]   for i < m, j < n
///
/// where `a` is a packed A micro-panel (k × MR, zero-padded past the matrix edge) and `b` a packed
/// B micro-panel (k × NR). `beta == 0` means C is write-only (never read, so garbage or NaN in C is
/// ignored). `m ≤ MR`, `n ≤ NR` select the valid corner of the tile at matrix edges.
///
/// The x86 variants carry per-function `target` attributes, so the package needs no compiler flags;
/// the caller must only pick one that `fovea_cpu_features()` reports. On other architectures those
/// symbols exist but trap, and the portable kernel is the only one to call.
typedef void (*fovea_sgemm_kernel_fn)(long k, const float *a, const float *b, float *c, long ldc,
                                      float alpha, float beta, long m, long n);

/// Plain C, any CPU. MR = 6, NR = 16.
void fovea_sgemm_kernel_portable_6x16(long k, const float *a, const float *b, float *c, long ldc,
                                      float alpha, float beta, long m, long n);
/// AVX2 + FMA: 12 ymm accumulators. MR = 6, NR = 16.
void fovea_sgemm_kernel_avx2_6x16(long k, const float *a, const float *b, float *c, long ldc,
                                  float alpha, float beta, long m, long n);
/// AVX-512F: 16 zmm accumulators. MR = 8, NR = 32.
void fovea_sgemm_kernel_avx512_8x32(long k, const float *a, const float *b, float *c, long ldc,
                                    float alpha, float beta, long m, long n);
/// AVX-512F: 24 zmm accumulators. MR = 12, NR = 32.
void fovea_sgemm_kernel_avx512_12x32(long k, const float *a, const float *b, float *c, long ldc,
                                     float alpha, float beta, long m, long n);
/// AVX-512F: 24 zmm accumulators. MR = 8, NR = 48.
void fovea_sgemm_kernel_avx512_8x48(long k, const float *a, const float *b, float *c, long ldc,
                                    float alpha, float beta, long m, long n);

#endif
