// SGEMM micro-kernels (see CFoveaSGEMM.h for the contract).
//
// Why C: Swift cannot keep a 6x16 FMA tile in registers without compiler flags that a package
// dependency may not use, and it cannot emit prefetches (docs/design-kernels.md). Here each vector
// kernel carries its own `target` attribute, so the file compiles with the default flags and the
// caller dispatches at run time.
#include "CFoveaSGEMM.h"

// Writes the valid m×n corner of a full MR×NR tile held in `t` (row stride NR) to C.
static inline void store_partial(const float *t, long nr, float *c, long ldc, float alpha, float beta,
                                 long m, long n) {
    for (long i = 0; i < m; i++) {
        for (long j = 0; j < n; j++) {
            float v = alpha * t[i * nr + j];
            c[i * ldc + j] = beta == 0.0f ? v : v + beta * c[i * ldc + j];
        }
    }
}

// MARK: - Portable

void fovea_sgemm_kernel_portable_6x16(long k, const float *a, const float *b, float *c, long ldc,
                                      float alpha, float beta, long m, long n) {
    float t[6 * 16] = {0};
    for (long p = 0; p < k; p++) {
        for (int i = 0; i < 6; i++) {
            float ai = a[p * 6 + i];
            for (int j = 0; j < 16; j++) t[i * 16 + j] += ai * b[p * 16 + j];
        }
    }
    store_partial(t, 16, c, ldc, alpha, beta, m, n);
}

#if defined(__x86_64__)
#include <immintrin.h>

// MARK: - AVX2 + FMA, 6x16

__attribute__((target("avx2,fma")))
void fovea_sgemm_kernel_avx2_6x16(long k, const float *a, const float *b, float *c, long ldc,
                                  float alpha, float beta, long m, long n) {
    __m256 acc[6][2];
#pragma clang loop unroll(full)
    for (int i = 0; i < 6; i++) { acc[i][0] = _mm256_setzero_ps(); acc[i][1] = _mm256_setzero_ps(); }
    if (m == 6 && n == 16) {
        // C is read in the epilogue; fetch it while the loop runs (worth up to 1.6x at n = 2048).
        for (int i = 0; i < 6; i++) { __builtin_prefetch(c + i * ldc); __builtin_prefetch(c + i * ldc + 15); }
    }
    for (long p = 0; p < k; p++) {
        __builtin_prefetch(b + 16 * 8);
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
#pragma clang loop unroll(full)
        for (int i = 0; i < 6; i++) {
            __m256 ai = _mm256_broadcast_ss(a + i);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
        a += 6; b += 16;
    }
    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    if (m == 6 && n == 16) {
#pragma clang loop unroll(full)
        for (int i = 0; i < 6; i++) {
            float *ci = c + i * ldc;
            __m256 r0 = _mm256_mul_ps(va, acc[i][0]), r1 = _mm256_mul_ps(va, acc[i][1]);
            if (beta != 0.0f) {
                r0 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(ci), r0);
                r1 = _mm256_fmadd_ps(vb, _mm256_loadu_ps(ci + 8), r1);
            }
            _mm256_storeu_ps(ci, r0); _mm256_storeu_ps(ci + 8, r1);
        }
    } else {
        float t[6 * 16];
        for (int i = 0; i < 6; i++) { _mm256_storeu_ps(t + i * 16, acc[i][0]); _mm256_storeu_ps(t + i * 16 + 8, acc[i][1]); }
        store_partial(t, 16, c, ldc, alpha, beta, m, n);
    }
}

// MARK: - AVX-512F, MR x (16·NV)

// One body for several tile shapes: MR broadcasts of A times NV zmm vectors of B per k step.
// Full tiles store directly; edge tiles use lane masks for the columns.
#define FOVEA_AVX512_KERNEL(NAME, MR, NV)                                                                  \
__attribute__((target("avx512f")))                                                                   \
void NAME(long k, const float *a, const float *b, float *c, long ldc, float alpha, float beta,         \
          long m, long n) {                                                                          \
    enum { NR = 16 * NV };                                                                           \
    __m512 acc[MR][NV];                                                                              \
    _Pragma("clang loop unroll(full)")                                                               \
    for (int i = 0; i < MR; i++)                                                                     \
        _Pragma("clang loop unroll(full)")                                                           \
        for (int v = 0; v < NV; v++) acc[i][v] = _mm512_setzero_ps();                                \
    for (int i = 0; i < m; i++) { __builtin_prefetch(c + i * ldc); __builtin_prefetch(c + i * ldc + n - 1); } \
    for (long p = 0; p < k; p++) {                                                                   \
        __m512 bv[NV];                                                                               \
        _Pragma("clang loop unroll(full)")                                                           \
        for (int v = 0; v < NV; v++) bv[v] = _mm512_loadu_ps(b + 16 * v);                           \
        __builtin_prefetch(b + NR * 6);                                                              \
        _Pragma("clang loop unroll(full)")                                                           \
        for (int i = 0; i < MR; i++) {                                                               \
            __m512 ai = _mm512_set1_ps(a[i]);                                                        \
            _Pragma("clang loop unroll(full)")                                                       \
            for (int v = 0; v < NV; v++) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);          \
        }                                                                                            \
        a += MR; b += NR;                                                                            \
    }                                                                                                \
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);                                    \
    __mmask16 mask[NV];                                                                              \
    _Pragma("clang loop unroll(full)")                                                               \
    for (int v = 0; v < NV; v++) {                                                                   \
        long left = n - 16 * v;                                                                      \
        mask[v] = left >= 16 ? (__mmask16)0xFFFF : left <= 0 ? (__mmask16)0 : (__mmask16)((1u << left) - 1); \
    }                                                                                                \
    if (m == MR) {                                                                                   \
        _Pragma("clang loop unroll(full)")                                                           \
        for (int i = 0; i < MR; i++) {                                                               \
            float *ci = c + i * ldc;                                                                 \
            _Pragma("clang loop unroll(full)")                                                       \
            for (int v = 0; v < NV; v++) {                                                           \
                __m512 r = _mm512_mul_ps(va, acc[i][v]);                                             \
                if (beta != 0.0f) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[v], ci + 16 * v), r); \
                _mm512_mask_storeu_ps(ci + 16 * v, mask[v], r);                                      \
            }                                                                                        \
        }                                                                                            \
    } else {                                                                                         \
        float t[MR * NR];                                                                            \
        for (int i = 0; i < MR; i++)                                                                 \
            for (int v = 0; v < NV; v++) _mm512_storeu_ps(t + i * NR + 16 * v, acc[i][v]);          \
        store_partial(t, NR, c, ldc, alpha, beta, m, n);                                             \
    }                                                                                                \
}

FOVEA_AVX512_KERNEL(fovea_sgemm_kernel_avx512_8x32, 8, 2)
FOVEA_AVX512_KERNEL(fovea_sgemm_kernel_avx512_12x32, 12, 2)
FOVEA_AVX512_KERNEL(fovea_sgemm_kernel_avx512_8x48, 8, 3)

#else
// Never dispatched off x86 (fovea_cpu_features() returns 0); defined so the symbols always link.
void fovea_sgemm_kernel_avx2_6x16(long k, const float *a, const float *b, float *c, long ldc,
                                  float alpha, float beta, long m, long n) { __builtin_trap(); }
void fovea_sgemm_kernel_avx512_8x32(long k, const float *a, const float *b, float *c, long ldc,
                                    float alpha, float beta, long m, long n) { __builtin_trap(); }
void fovea_sgemm_kernel_avx512_12x32(long k, const float *a, const float *b, float *c, long ldc,
                                     float alpha, float beta, long m, long n) { __builtin_trap(); }
void fovea_sgemm_kernel_avx512_8x48(long k, const float *a, const float *b, float *c, long ldc,
                                    float alpha, float beta, long m, long n) { __builtin_trap(); }
#endif
