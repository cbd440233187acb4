// im2col / col2im: convolution as matrix multiply (Chellapilla et al., "High Performance
// Convolutional Neural Networks for Document Processing", 2006).

extension Conv2d {
    /// Unfolds one image's group of channels into columns.
    /// image (Cg, H, W) → col (Cg·KH·KW, OH·OW) with `col[(c·KH + kh)·KW + kw][oh·OW + ow] =
    /// image[c][oh·sH − pH + kh·dH][ow·sW − pW + kw·dW]`, zero in the padding.
    static func im2col(_ g: Conv2dGeometry, image: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>) {
        let (H, W, OH, OW) = (g.inHeight, g.inWidth, g.outHeight, g.outWidth)
        let (KH, KW) = (g.kernelHeight, g.kernelWidth)
        var row = col
        for c in 0..<g.inChannelsPerGroup {
            let plane = image + c * H * W
            for kh in 0..<KH {
                for kw in 0..<KW {
                    let dx = kw * g.dilationW - g.padW
                    let (lo, hi) = validRange(offset: dx, stride: g.strideW, extent: W, count: OW)
                    for oh in 0..<OH {
                        let ih = oh * g.strideH - g.padH + kh * g.dilationH
                        let dst = row + oh * OW
                        if ih < 0 || ih >= H { dst.update(repeating: 0, count: OW); continue }
                        let src = plane + ih * W + dx
                        for ow in 0..<lo { dst[ow] = 0 }
                        if g.strideW == 1 {
                            (dst + lo).update(from: src + lo, count: hi - lo)
                        } else {
                            for ow in lo..<hi { dst[ow] = src[ow * g.strideW] }
                        }
                        for ow in hi..<OW { dst[ow] = 0 }
                    }
                    row += OH * OW
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds every column entry back onto the pixel it was read from.
    /// col (Cg·KH·KW, OH·OW) → image (Cg, H, W); the image must be zeroed (or hold a sum) first.
    static func col2im(_ g: Conv2dGeometry, col: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
        let (H, W, OH, OW) = (g.inHeight, g.inWidth, g.outHeight, g.outWidth)
        let (KH, KW) = (g.kernelHeight, g.kernelWidth)
        var row = col
        for c in 0..<g.inChannelsPerGroup {
            let plane = image + c * H * W
            for kh in 0..<KH {
                for kw in 0..<KW {
                    let dx = kw * g.dilationW - g.padW
                    let (lo, hi) = validRange(offset: dx, stride: g.strideW, extent: W, count: OW)
                    for oh in 0..<OH {
                        let ih = oh * g.strideH - g.padH + kh * g.dilationH
                        if ih < 0 || ih >= H { continue }
                        let src = row + oh * OW, dst = plane + ih * W + dx
                        if g.strideW == 1 {
                            for ow in lo..<hi { dst[ow] += src[ow] }
                        } else {
                            for ow in lo..<hi { dst[ow * g.strideW] += src[ow] }
                        }
                    }
                    row += OH * OW
                }
            }
        }
    }

    /// The output columns `lo..<hi` whose input column `ow·stride + offset` lies in `0..<extent`.
    @inline(__always)
    static func validRange(offset: Int, stride: Int, extent: Int, count: Int) -> (Int, Int) {
        // lo = ⌈−offset / stride⌉ clamped at 0; hi = ⌈(extent − offset) / stride⌉ clamped to count.
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let hiRaw = extent - offset <= 0 ? 0 : (extent - offset + stride - 1) / stride
        let hi = min(count, hiRaw)
        return (min(lo, hi), hi)
    }
}
