import CFoveaKernels

/// Depthwise 2-D convolution (one filter per channel, channel multiplier 1), as in MobileNet and
/// ConvNeXt: `groups == inChannels == outChannels`.
///
/// Buffers as for the general convolution: input `(N, C, H, W)`, weight `(C, 1, KH, KW)`, bias `(C)`,
/// output `(N, C, OH, OW)`; any stride, padding and dilation. Each `(n, c)` plane is first copied into
/// a zero-padded scratch plane, so the row kernels (C, in the build `KernelOptions.depthwisePath`
/// picks: AVX2+FMA when available by default; see depthwise.c) run
/// border-free on whole 8-float vectors. Unit column stride takes that fast path, column stride 2
/// (dilation 1) too after splitting the plane into even and odd columns (`ColumnSplit`); other
/// strides use plain loops over the same padded plane.
public enum DepthwiseConv2d {
    /// `output[n, c, oh, ow] = bias[c] + Σ_{kh,kw} weight[c, kh, kw] · input[n, c, oh·sH − pH + kh·dH, ow·sW − pW + kw·dW]`
    /// (out-of-range input reads as 0). Planes run in parallel.
    public static func forward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        check(g)
        let options = KernelOptions.current, level = options.depthwiseLevel
        let C = g.inChannels, H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        let KH = g.kernelHeight, KW = g.kernelWidth
        let pad = PaddedPlane.input(g)
        let split = g.strideW == 2 && g.dilationW == 1 ? ColumnSplit(g, plane: pad, level: level) : nil
        Parallel.forRanges(g.batch * C, threads: options.threads) { planes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: pad.count + (split?.scratchCount ?? 0)) { buffer in
                let scratch = buffer.baseAddress!
                scratch.update(repeating: 0, count: pad.count)
                for p in planes {
                    let c = p % C, w = weight + c * KH * KW, b = bias?[c] ?? 0, out = output + p * OH * OW
                    pad.fill(scratch, from: input + p * H * W, rows: H, cols: W)
                    if g.strideW == 1 {
                        fovea_dw_correlate(level, scratch, pad.cols, g.strideH, w, KH, KW, g.dilationH, g.dilationW,
                                           b, out, OW, OH, OW)
                    } else if let split {
                        split.correlate(scratch, pad: pad, weight: w, bias: b, output: out, work: scratch + pad.count)
                    } else {
                        correlateStrided(g, scratch, pad.cols, w, b, out)
                    }
                }
            }
        }
    }

    /// Column stride 2 (dilation 1: MobileNets' downsampling layers) on the vector row kernel: output
    /// column ow reads padded columns 2·ow + kw, so the even taps (kw = 0, 2, …) read the plane's even
    /// columns at ow + kw/2 and the odd taps its odd columns at ow + (kw − 1)/2. The plane is split
    /// into those two half-width planes and the output is the sum of two unit-stride correlations.
    struct ColumnSplit {
        let g: Conv2dGeometry
        /// Taps per kernel row on each half, and the half planes' width (what the row kernel reads).
        let evenTaps: Int, oddTaps: Int, width: Int
        let rows: Int
        /// The row kernels' build (`KernelOptions.depthwiseLevel`).
        let level: Int32

        init(_ g: Conv2dGeometry, plane: PaddedPlane, level: Int32) {
            self.g = g
            self.level = level
            evenTaps = (g.kernelWidth + 1) / 2; oddTaps = g.kernelWidth / 2
            width = (g.outWidth + 7) / 8 * 8 + evenTaps - 1
            rows = plane.rows
        }

        /// Floats of work space: the two half planes, their kernels and a product plane.
        var scratchCount: Int { 2 * rows * width + g.kernelHeight * g.kernelWidth + g.outHeight * g.outWidth }

        /// output (OH, OW) = bias + the stride-2 correlation of `plane` (laid out as `pad`) with `weight` (KH, KW).
        func correlate(_ plane: UnsafePointer<Float>, pad: PaddedPlane, weight: UnsafePointer<Float>, bias: Float,
                       output: UnsafeMutablePointer<Float>, work: UnsafeMutablePointer<Float>) {
            let (KH, KW, OH, OW) = (g.kernelHeight, g.kernelWidth, g.outHeight, g.outWidth)
            let even = work, odd = even + rows * width, we = odd + rows * width, wo = we + KH * evenTaps
            let product = we + KH * KW
            for r in 0..<rows {
                let src = plane + r * pad.cols
                for j in 0..<width {
                    even[r * width + j] = 2 * j < pad.cols ? src[2 * j] : 0
                    odd[r * width + j] = 2 * j + 1 < pad.cols ? src[2 * j + 1] : 0
                }
            }
            for kh in 0..<KH {
                for j in 0..<evenTaps { we[kh * evenTaps + j] = weight[kh * KW + 2 * j] }
                for j in 0..<oddTaps { wo[kh * oddTaps + j] = weight[kh * KW + 2 * j + 1] }
            }
            fovea_dw_correlate(level, even, width, g.strideH, we, KH, evenTaps, g.dilationH, 1, bias, output, OW, OH, OW)
            guard oddTaps > 0 else { return }
            fovea_dw_correlate(level, odd, width, g.strideH, wo, KH, oddTaps, g.dilationH, 1, 0, product, OW, OH, OW)
            for i in 0..<(OH * OW) { output[i] += product[i] }
        }
    }

    /// `gradInput[n, c] = Σ` of every output position's `gradOutput · weight` tap that read it.
    /// With unit strides this is the correlation of the padded gradient with the flipped kernel, and
    /// reuses the forward row kernel; otherwise it scatters. Overwrites `gradInput (N, C, H, W)`.
    public static func backwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>) {
        check(g)
        let options = KernelOptions.current, level = options.depthwiseLevel
        let C = g.inChannels, H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        let KH = g.kernelHeight, KW = g.kernelWidth
        let unitStride = g.strideH == 1 && g.strideW == 1
        let pad = PaddedPlane.gradient(g)
        Parallel.forRanges(g.batch * C, threads: options.threads) { planes in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: (unitStride ? pad.count : 0) + KH * KW) { buffer in
                let flipped = buffer.baseAddress!, scratch = flipped + KH * KW
                if unitStride { scratch.update(repeating: 0, count: pad.count) }
                var flippedChannel = -1
                for p in planes {
                    let c = p % C, dy = gradOutput + p * OH * OW, dx = gradInput + p * H * W
                    guard unitStride else { scatterStrided(g, dy, weight + c * KH * KW, dx); continue }
                    if c != flippedChannel {
                        for t in 0..<(KH * KW) { flipped[t] = weight[c * KH * KW + KH * KW - 1 - t] }
                        flippedChannel = c
                    }
                    pad.fill(scratch, from: dy, rows: OH, cols: OW)
                    fovea_dw_correlate(level, scratch, pad.cols, 1, flipped, KH, KW, g.dilationH, g.dilationW, 0, dx, W, H, W)
                }
            }
        }
    }

    /// `gradWeight[c, kh, kw] = Σ_{n,oh,ow} gradOutput[n, c, oh, ow] · input[n, c, ih, iw]` (the taps the
    /// forward used) and `gradBias[c] = Σ gradOutput[n, c]`. Each channel is reduced by one worker,
    /// batch by batch in order, so the sums are deterministic. Overwrites `gradWeight (C, 1, KH, KW)`
    /// and `gradBias (C)`.
    public static func backwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
        check(g)
        let options = KernelOptions.current, level = options.depthwiseLevel
        let N = g.batch, C = g.inChannels, H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        let taps = g.kernelHeight * g.kernelWidth
        let pad = PaddedPlane.input(g)
        let fast = g.strideW == 1 && (g.strideH == 1 || taps <= 256)
        // The C kernels read whole 8-float gradient rows, so gradient planes of other widths are copied
        // with a zero tail; the unit-stride kernel also wants 2·dilationH zero rows above and below.
        let dyStride = (OW + 7) / 8 * 8, haloRows = g.strideH == 1 ? 2 * g.dilationH : 0
        let copyGradient = fast && (OW != dyStride || haloRows > 0)
        let copyCount = copyGradient ? (OH + 2 * haloRows) * dyStride : 0
        Parallel.forRanges(C, threads: options.threads) { channels in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: pad.count + copyCount) { buffer in
                let scratch = buffer.baseAddress!, dyCopy = scratch + pad.count + haloRows * dyStride
                buffer.baseAddress!.update(repeating: 0, count: pad.count + copyCount)
                for c in channels {
                    let gw = gradWeight + c * taps
                    gw.update(repeating: 0, count: taps)
                    var biasSum = 0.0
                    for n in 0..<N {
                        let p = n * C + c, dy = gradOutput + p * OH * OW
                        pad.fill(scratch, from: input + p * H * W, rows: H, cols: W)
                        if gradBias != nil { biasSum += PlaneReductions.sum(dy, OH * OW) }
                        guard fast else { weightGradStrided(g, scratch, pad.cols, dy, gw); continue }
                        var rows = dy, stride = OW
                        if copyGradient {
                            for r in 0..<OH { copyRow(dyCopy + r * dyStride, dy + r * OW, OW) }
                            rows = UnsafePointer(dyCopy); stride = dyStride
                        }
                        if g.strideH == 1 {
                            fovea_dw_weight_grad_unit_stride(level, scratch, pad.cols, rows, stride, g.kernelHeight, g.kernelWidth,
                                                             g.dilationH, g.dilationW, OH, OW, gw)
                        } else {
                            fovea_dw_weight_grad(level, scratch, pad.cols, g.strideH, rows, stride, g.kernelHeight, g.kernelWidth,
                                                 g.dilationH, g.dilationW, OH, OW, gw)
                        }
                    }
                    gradBias?[c] = Float(biasSum)
                }
            }
        }
    }

    static func check(_ g: Conv2dGeometry) {
        precondition(g.isValid && g.groups == g.inChannels && g.outChannels == g.inChannels,
                     "DepthwiseConv2d needs groups == inChannels == outChannels: \(g)")
    }

    // MARK: - Strided paths (plain loops over the padded plane)

    static func correlateStrided(_ g: Conv2dGeometry, _ plane: UnsafePointer<Float>, _ stride: Int,
                                 _ w: UnsafePointer<Float>, _ bias: Float, _ out: UnsafeMutablePointer<Float>) {
        let OH = g.outHeight, OW = g.outWidth, KH = g.kernelHeight, KW = g.kernelWidth
        for oh in 0..<OH {
            for ow in 0..<OW {
                var acc = bias
                for kh in 0..<KH {
                    let row = plane + (oh * g.strideH + kh * g.dilationH) * stride + ow * g.strideW
                    for kw in 0..<KW { acc += w[kh * KW + kw] * row[kw * g.dilationW] }
                }
                out[oh * OW + ow] = acc
            }
        }
    }

    static func weightGradStrided(_ g: Conv2dGeometry, _ plane: UnsafePointer<Float>, _ stride: Int,
                                  _ dy: UnsafePointer<Float>, _ gw: UnsafeMutablePointer<Float>) {
        let OH = g.outHeight, OW = g.outWidth, KH = g.kernelHeight, KW = g.kernelWidth
        for kh in 0..<KH {
            for kw in 0..<KW {
                var acc: Float = 0
                for oh in 0..<OH {
                    let row = plane + (oh * g.strideH + kh * g.dilationH) * stride + kw * g.dilationW
                    for ow in 0..<OW { acc += dy[oh * OW + ow] * row[ow * g.strideW] }
                }
                gw[kh * KW + kw] += acc
            }
        }
    }

    static func scatterStrided(_ g: Conv2dGeometry, _ dy: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                               _ dx: UnsafeMutablePointer<Float>) {
        let H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth, KH = g.kernelHeight, KW = g.kernelWidth
        dx.update(repeating: 0, count: H * W)
        for oh in 0..<OH {
            for kh in 0..<KH {
                let ih = oh * g.strideH - g.padH + kh * g.dilationH
                guard ih >= 0 && ih < H else { continue }
                for ow in 0..<OW {
                    let v = dy[oh * OW + ow]
                    for kw in 0..<KW {
                        let iw = ow * g.strideW - g.padW + kw * g.dilationW
                        if iw >= 0 && iw < W { dx[ih * W + iw] += w[kh * KW + kw] * v }
                    }
                }
            }
        }
    }
}

/// A zero-padded copy of one plane: `rows × cols` floats, source element `(r, c)` at
/// `(r + top, c + left)` (negative offsets crop).
struct PaddedPlane {
    var rows: Int, cols: Int, top: Int, left: Int
    var count: Int { rows * cols }

    /// The input plane as the forward reads it: every tap of every output row in range, and (for
    /// unit column stride) ⌈OW/8⌉·8 + (KW − 1)·dW columns so the vector kernel never leaves the row.
    static func input(_ g: Conv2dGeometry) -> PaddedPlane {
        let vectorCols = (g.outWidth + 7) / 8 * 8 + (g.kernelWidth - 1) * g.dilationW
        return PaddedPlane(rows: (g.outHeight - 1) * g.strideH + (g.kernelHeight - 1) * g.dilationH + 1,
                           cols: g.strideW == 1 ? vectorCols : (g.outWidth - 1) * g.strideW + (g.kernelWidth - 1) * g.dilationW + 1,
                           top: g.padH, left: g.padW)
    }

    /// The output gradient padded by `(K − 1)·d − pad` for the unit-stride transposed correlation.
    static func gradient(_ g: Conv2dGeometry) -> PaddedPlane {
        PaddedPlane(rows: g.inHeight + (g.kernelHeight - 1) * g.dilationH,
                    cols: (g.inWidth + 7) / 8 * 8 + (g.kernelWidth - 1) * g.dilationW,
                    top: (g.kernelHeight - 1) * g.dilationH - g.padH, left: (g.kernelWidth - 1) * g.dilationW - g.padW)
    }

    /// Copies the source into the interior. The border is never written, so it stays zero from the
    /// one `update(repeating: 0)` each worker does on its scratch plane before its first fill.
    func fill(_ dst: UnsafeMutablePointer<Float>, from src: UnsafePointer<Float>, rows srcRows: Int, cols srcCols: Int) {
        let c0 = max(0, left), c1 = min(cols, srcCols + left)
        guard c0 < c1 else { return }
        for r in max(0, top)..<min(rows, srcRows + top) {
            copyRow(dst + r * cols + c0, src + (r - top) * srcCols + (c0 - left), c1 - c0)
        }
    }
}

/// Copies `n` floats with vector moves: plane rows are short (tens of floats), where a `memcpy` call
/// per row costs more than the copy.
@inline(__always)
func copyRow(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    var i = 0
    while i + 8 <= n { PlaneReductions.store(PlaneReductions.load(src + i), dst + i); i += 8 }
    while i < n { dst[i] = src[i]; i += 1 }
}
