#ifndef CFOVEA_CONV_PACK_H
#define CFOVEA_CONV_PACK_H

/// The sizes a convolution panel packer needs (one group of one image; see Conv2dGeometry).
typedef struct {
    long in_height, in_width, out_width, channels;  // H, W, OW, C/groups
    long kernel_height, kernel_width;
    long stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
} fovea_conv_shape;

/// Packs rows pc..<pc+kc (taps (c, kh, kw)) and columns jc..<jc+nc (output pixels oh·OW + ow) of the
/// im2col matrix of `image` (C, H, W) into ⌈nc / nr⌉ GEMM B panels of kc × nr (zero past nc).
/// `level`: 2 = AVX-512F, 1 = AVX2, 0 = portable; pick what fovea_cpu_features() reports.
void fovea_pack_im2col_panels(int level, const fovea_conv_shape *s, const float *image, long pc, long kc,
                              long jc, long nc, long nr, float *dst);

/// Packs B panels whose row p is `base[offsets[p] + j]` (j = jc..<jc+nc): the im2col matrix of a
/// stride-1 convolution over a zero-padded image, where every tap's row is one shifted slice.
/// Columns past nc are zero.
void fovea_pack_shifted_rows(int level, const float *base, const long *offsets, long pc, long kc, long jc, long nc,
                             long nr, float *dst);

/// Packs the transposed im2col matrix, taps ordered (kh, kw, c), from `hwc`, the image zero-padded
/// to (H + 2·padH, W + 2·padW, C): rows pc..<pc+kc
/// are output pixels, columns jc..<jc+nc taps; ⌈nc / nr⌉ panels of kc × nr (zero past nc).
void fovea_pack_pixel_tap_panels(int level, const fovea_conv_shape *s, const float *hwc, long pc, long kc,
                                 long jc, long nc, long nr, float *dst);

#endif
