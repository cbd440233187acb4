// Conv2d's GEMM panels come straight from the image, so the im2col matrix is never materialised:
// one pass over memory instead of three (im2col, read it back, pack it). The short-run copies
// themselves are in C (conv_pack.c), where they are one or two masked vector moves per run.
import CFoveaKernels

extension Conv2d {
    /// The panel packers' view of one group of one image.
    static func packShape(_ g: Conv2dGeometry) -> fovea_conv_shape {
        fovea_conv_shape(in_height: g.inHeight, in_width: g.inWidth, out_width: g.outWidth, channels: g.inChannelsPerGroup,
                         kernel_height: g.kernelHeight, kernel_width: g.kernelWidth, stride_h: g.strideH, stride_w: g.strideW,
                         pad_h: g.padH, pad_w: g.padW, dilation_h: g.dilationH, dilation_w: g.dilationW)
    }

    /// The packers' instruction-set level for a GEMM micro-kernel (2 AVX-512F, 1 AVX2, 0 portable).
    static func packLevel(_ kernel: GEMM.MicroKernel) -> Int32 {
        switch kernel {
        case .portable6x16: 0
        case .avx2Tile6x16: 1
        case .avx512Tile8x32, .avx512Tile12x32, .avx512Tile8x48: 2
        }
    }

    /// image (Cg, H, W) → hwc (H + 2·padH, W + 2·padW, Cg), zero in the padding.
    static func transposeToPaddedHWC(_ g: Conv2dGeometry, image: UnsafePointer<Float>, hwc: UnsafeMutablePointer<Float>) {
        let (H, W, Cg, pH, pW) = (g.inHeight, g.inWidth, g.inChannelsPerGroup, g.padH, g.padW)
        let Wp = W + 2 * pW
        hwc.update(repeating: 0, count: pH * Wp * Cg)
        (hwc + (pH + H) * Wp * Cg).update(repeating: 0, count: pH * Wp * Cg)
        for y in 0..<H {
            let row = hwc + ((y + pH) * Wp) * Cg
            row.update(repeating: 0, count: pW * Cg)
            (row + (pW + W) * Cg).update(repeating: 0, count: pW * Cg)
            let interior = row + pW * Cg
            // Blocks of 16 pixels keep the strided writes of each channel within a few cache lines.
            var x0 = 0
            while x0 < W {
                let x1 = min(W, x0 + 16)
                for c in 0..<Cg {
                    let src = image + (c * H + y) * W
                    for x in x0..<x1 { interior[x * Cg + c] = src[x] }
                }
                x0 = x1
            }
        }
    }

    /// Floats of the zero-padded (Cg, H + 2·padH, W + 2·padW) copy `padImage` writes, plus slack that
    /// the last shifted row of a panel may read past the image.
    static func paddedImageCount(_ g: Conv2dGeometry, nr: Int) -> Int {
        g.inChannelsPerGroup * (g.inHeight + 2 * g.padH) * (g.inWidth + 2 * g.padW) + g.inWidth + 2 * g.padW + nr
    }

    /// image (Cg, H, W) → padded (Cg, H + 2·padH, W + 2·padW) plus zeroed slack: for stride 1 every
    /// im2col row is then one slice `padded[offset(c, kh, kw) + oh·Wp + ow]` (with Wp − OW junk columns).
    static func padImage(_ g: Conv2dGeometry, image: UnsafePointer<Float>, padded: UnsafeMutablePointer<Float>, nr: Int) {
        let (H, W, pH, pW) = (g.inHeight, g.inWidth, g.padH, g.padW)
        let Hp = H + 2 * pH, Wp = W + 2 * pW
        for c in 0..<g.inChannelsPerGroup {
            let plane = padded + c * Hp * Wp
            plane.update(repeating: 0, count: pH * Wp + pW)
            for y in 0..<H {
                let row = plane + (y + pH) * Wp + pW
                row.update(from: image + (c * H + y) * W, count: W)
                (row + W).update(repeating: 0, count: y + 1 < H ? 2 * pW : pW + pH * Wp)
            }
        }
        (padded + g.inChannelsPerGroup * Hp * Wp).update(repeating: 0, count: Wp + nr)
    }

    /// Columns of a stride-1 product over the padded width Wp = W + 2·padW: output pixel (oh, ow) is
    /// column oh·Wp + ow, through the last valid one, (OH − 1)·Wp + OW.
    static func shiftedColumns(_ g: Conv2dGeometry) -> Int {
        (g.outHeight - 1) * (g.inWidth + 2 * g.padW) + g.outWidth
    }

    /// offsets[(c·KH + kh)·KW + kw]: where tap (c, kh, kw)'s row starts in the image `padImage` writes,
    /// so that im2col row p of a stride-1 convolution is `padded[offsets[p] + column]`.
    static func shiftedOffsets(_ g: Conv2dGeometry) -> [Int] {
        let (KH, KW) = (g.kernelHeight, g.kernelWidth)
        let Hp = g.inHeight + 2 * g.padH, Wp = g.inWidth + 2 * g.padW
        var offsets = [Int](repeating: 0, count: g.inChannelsPerGroup * KH * KW)
        for c in 0..<g.inChannelsPerGroup { for kh in 0..<KH { for kw in 0..<KW {
            offsets[(c * KH + kh) * KW + kw] = c * Hp * Wp + kh * g.dilationH * Wp + kw * g.dilationW
        } } }
        return offsets
    }

    /// The weight of the stride-1 convolution that computes the input gradient: per group,
    /// weight (O, Cg, KH, KW) → flipped (C, Og, KH, KW) with `flipped[c][o][kh][kw] = weight[o][c][KH−1−kh][KW−1−kw]`.
    static func flipForInputGradient(_ g: Conv2dGeometry, weight: UnsafePointer<Float>, into flipped: UnsafeMutablePointer<Float>) {
        let (Cg, Og, KH, KW) = (g.inChannelsPerGroup, g.outChannelsPerGroup, g.kernelHeight, g.kernelWidth)
        for group in 0..<g.groups {
            for o in 0..<Og {
                for c in 0..<Cg {
                    let src = weight + ((group * Og + o) * Cg + c) * KH * KW
                    let dst = flipped + ((group * Cg + c) * Og + o) * KH * KW
                    for i in 0..<(KH * KW) { dst[KH * KW - 1 - i] = src[i] }
                }
            }
        }
    }
}
