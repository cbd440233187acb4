// Convolution panel packers: GEMM B panels generated straight from an image (no im2col matrix).
// They live in C, not Swift, because they are short-run copies (a row of 32 pixels, a run of 16
// channels): Swift's SSE-only copies plus bookkeeping made the 16→16 layer spend 3.5x longer packing
// than multiplying; masked AVX-512 moves make a run one or two instructions.
#include "CFoveaKernels.h"

// MARK: - Portable
#define NAME_SUFFIX portable
#define ATTR
#define COPY_RUN(d, s, n) do { for (long q_ = 0; q_ < (n); q_++) (d)[q_] = (s)[q_]; } while (0)
#define ZERO_RUN(d, n) do { for (long q_ = 0; q_ < (n); q_++) (d)[q_] = 0.0f; } while (0)
#include "conv_pack_body.h"
#undef NAME_SUFFIX
#undef ATTR
#undef COPY_RUN
#undef ZERO_RUN

#if defined(__x86_64__)
#include <immintrin.h>

// MARK: - AVX-512F: 16 lanes per masked move
__attribute__((target("avx512f"), always_inline)) static inline void copy_run_avx512(float *d, const float *s, long n) {
    for (; n >= 16; n -= 16, d += 16, s += 16) _mm512_storeu_ps(d, _mm512_loadu_ps(s));
    if (n > 0) {
        __mmask16 m = (__mmask16)((1u << n) - 1);
        _mm512_mask_storeu_ps(d, m, _mm512_maskz_loadu_ps(m, s));
    }
}
__attribute__((target("avx512f"), always_inline)) static inline void zero_run_avx512(float *d, long n) {
    for (; n >= 16; n -= 16, d += 16) _mm512_storeu_ps(d, _mm512_setzero_ps());
    if (n > 0) _mm512_mask_storeu_ps(d, (__mmask16)((1u << n) - 1), _mm512_setzero_ps());
}
#define NAME_SUFFIX avx512
#define ATTR __attribute__((target("avx512f")))
#define COPY_RUN(d, s, n) copy_run_avx512((d), (s), (n))
#define ZERO_RUN(d, n) zero_run_avx512((d), (n))
#include "conv_pack_body.h"
#undef NAME_SUFFIX
#undef ATTR
#undef COPY_RUN
#undef ZERO_RUN

// MARK: - AVX2: 8 lanes per move, scalar tail
__attribute__((target("avx2"), always_inline)) static inline void copy_run_avx2(float *d, const float *s, long n) {
    for (; n >= 8; n -= 8, d += 8, s += 8) _mm256_storeu_ps(d, _mm256_loadu_ps(s));
    for (long q = 0; q < n; q++) d[q] = s[q];
}
__attribute__((target("avx2"), always_inline)) static inline void zero_run_avx2(float *d, long n) {
    for (; n >= 8; n -= 8, d += 8) _mm256_storeu_ps(d, _mm256_setzero_ps());
    for (long q = 0; q < n; q++) d[q] = 0.0f;
}
#define NAME_SUFFIX avx2
#define ATTR __attribute__((target("avx2")))
#define COPY_RUN(d, s, n) copy_run_avx2((d), (s), (n))
#define ZERO_RUN(d, n) zero_run_avx2((d), (n))
#include "conv_pack_body.h"
#undef NAME_SUFFIX
#undef ATTR
#undef COPY_RUN
#undef ZERO_RUN
#endif

void fovea_pack_im2col_panels(int level, const fovea_conv_shape *s, const float *image, long pc, long kc,
                              long jc, long nc, long nr, float *dst) {
#if defined(__x86_64__)
    if (level >= 2) { pack_im2col_avx512(s, image, pc, kc, jc, nc, nr, dst); return; }
    if (level == 1) { pack_im2col_avx2(s, image, pc, kc, jc, nc, nr, dst); return; }
#endif
    pack_im2col_portable(s, image, pc, kc, jc, nc, nr, dst);
}

void fovea_pack_pixel_tap_panels(int level, const fovea_conv_shape *s, const float *hwc, long pc, long kc,
                                 long jc, long nc, long nr, float *dst) {
#if defined(__x86_64__)
    if (level >= 2) { pack_pixel_taps_avx512(s, hwc, pc, kc, jc, nc, nr, dst); return; }
    if (level == 1) { pack_pixel_taps_avx2(s, hwc, pc, kc, jc, nc, nr, dst); return; }
#endif
    pack_pixel_taps_portable(s, hwc, pc, kc, jc, nc, nr, dst);
}

void fovea_pack_shifted_rows(int level, const float *base, const long *offsets, long pc, long kc, long jc, long nc,
                             long nr, float *dst) {
#if defined(__x86_64__)
    if (level >= 2) { pack_shifted_rows_avx512(base, offsets, pc, kc, jc, nc, nr, dst); return; }
    if (level == 1) { pack_shifted_rows_avx2(base, offsets, pc, kc, jc, nc, nr, dst); return; }
#endif
    pack_shifted_rows_portable(base, offsets, pc, kc, jc, nc, nr, dst);
}
