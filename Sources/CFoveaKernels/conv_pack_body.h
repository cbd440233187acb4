// The body of the convolution panel packers, included once per instruction set by conv_pack.c with
// NAME_SUFFIX, ATTR, COPY_RUN(dst, src, len) and ZERO_RUN(dst, len) defined.

#define PASTE2(a, b) a##b
#define PASTE(a, b) PASTE2(a, b)

ATTR static void PASTE(pack_im2col_, NAME_SUFFIX)(const fovea_conv_shape *s, const float *image, long pc, long kc,
                                                  long jc, long nc, long nr, float *dst) {
    const long H = s->in_height, W = s->in_width, OW = s->out_width;
    const long KH = s->kernel_height, KW = s->kernel_width, sw = s->stride_w;
    const long end = jc + nc;
    for (long j0 = jc; j0 < end; j0 += nr, dst += nr * kc) {
        const long cols = end - j0 < nr ? end - j0 : nr;
        const long oh0 = j0 / OW, ow0 = j0 - oh0 * OW;
        long c = pc / (KH * KW), kh = (pc / KW) % KH, kw = pc % KW;
        for (long p = 0; p < kc; p++) {
            float *d = dst + p * nr;
            const float *plane = image + c * H * W;
            const long dx = kw * s->dilation_w - s->pad_w;
            // Output columns lo..<hi read inside the image: 0 ≤ o·sw + dx < W.
            long lo = dx >= 0 ? 0 : (-dx + sw - 1) / sw;
            long hi = W - dx <= 0 ? 0 : (W - dx + sw - 1) / sw;
            if (hi > OW) hi = OW;
            if (lo > hi) lo = hi;
            long oh = oh0, ow = ow0, t = 0;
            while (t < cols) {
                long run = OW - ow < cols - t ? OW - ow : cols - t;
                float *out = d + t - ow;  // out[o]: the slot of output column o on this row
                const long ih = oh * s->stride_h - s->pad_h + kh * s->dilation_h;
                if (ih < 0 || ih >= H) {
                    ZERO_RUN(out + ow, run);
                } else {
                    const float *src = plane + ih * W + dx;  // src[o·sw]: the input under output column o
                    long a = lo > ow ? lo : ow; if (a > ow + run) a = ow + run;
                    long b = hi < ow + run ? hi : ow + run; if (b < a) b = a;
                    if (a > ow) ZERO_RUN(out + ow, a - ow);
                    if (sw == 1) { COPY_RUN(out + a, src + a, b - a); }
                    else { for (long o = a; o < b; o++) out[o] = src[o * sw]; }
                    if (ow + run > b) ZERO_RUN(out + b, ow + run - b);
                }
                t += run; ow = 0; oh++;
            }
            if (cols < nr) ZERO_RUN(d + cols, nr - cols);
            if (++kw == KW) { kw = 0; if (++kh == KH) { kh = 0; c++; } }
        }
    }
}

ATTR static void PASTE(pack_shifted_rows_, NAME_SUFFIX)(const float *base, const long *offsets, long pc, long kc,
                                                       long jc, long nc, long nr, float *dst) {
    for (long j0 = jc; j0 < jc + nc; j0 += nr, dst += nr * kc) {
        const long cols = jc + nc - j0 < nr ? jc + nc - j0 : nr;
        for (long p = 0; p < kc; p++) {
            COPY_RUN(dst + p * nr, base + offsets[pc + p] + j0, cols);
            if (cols < nr) ZERO_RUN(dst + p * nr + cols, nr - cols);
        }
    }
}

ATTR static void PASTE(pack_pixel_taps_, NAME_SUFFIX)(const fovea_conv_shape *s, const float *hwc, long pc, long kc,
                                                      long jc, long nc, long nr, float *dst) {
    // hwc is the zero-padded image (H + 2·padH, W + 2·padW, C): no bounds checks. With dilation 1 a
    // tap row (kw, c) is KW·C contiguous floats, else runs of C.
    const long Wp = s->in_width + 2 * s->pad_w, C = s->channels, KW = s->kernel_width, OW = s->out_width;
    const long dh = s->dilation_h, dw = s->dilation_w, rowTaps = KW * C;
    const long end = jc + nc;
    for (long j0 = jc; j0 < end; j0 += nr, dst += nr * kc) {
        const long cols = end - j0 < nr ? end - j0 : nr;
        long oh = pc / OW, ow = pc % OW;
        for (long p = 0; p < kc; p++) {
            float *d = dst + p * nr;
            const float *pixel = hwc + (oh * s->stride_h * Wp + ow * s->stride_w) * C;
            long t = 0, j = j0;
            while (t < cols) {
                const long kh = j / rowTaps, r = j - kh * rowTaps;
                long offset, run;
                if (dw == 1) { offset = kh * dh * Wp * C + r; run = rowTaps - r; }
                else { const long kw = r / C, c = r - kw * C; offset = (kh * dh * Wp + kw * dw) * C + c; run = C - c; }
                if (run > cols - t) run = cols - t;
                COPY_RUN(d + t, pixel + offset, run);
                t += run; j += run;
            }
            if (cols < nr) ZERO_RUN(d + cols, nr - cols);
            if (++ow == OW) { ow = 0; oh++; }
        }
    }
}

#undef PASTE
#undef PASTE2
