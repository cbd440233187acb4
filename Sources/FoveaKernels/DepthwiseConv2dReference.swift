/// Naive twin of `DepthwiseConv2d`, straight from the definition, generic so tests can run it in Double.
/// Arrays are NCHW: input `(N, C, H, W)`, weight `(C, 1, KH, KW)`, bias `(C)`, output `(N, C, OH, OW)`.
public enum DepthwiseConv2dReference<T: BinaryFloatingPoint> {
    /// Calls `body(inputIndex, weightIndex, outputIndex)` for every multiply-accumulate of the forward
    /// pass whose input position lies inside the image (padding contributes zero).
    static func forEachTap(_ g: Conv2dGeometry, _ body: (Int, Int, Int) -> Void) {
        let C = g.inChannels, H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        for n in 0..<g.batch {
            for c in 0..<C {
                for oh in 0..<OH {
                    for ow in 0..<OW {
                        for kh in 0..<g.kernelHeight {
                            for kw in 0..<g.kernelWidth {
                                let ih = oh * g.strideH - g.padH + kh * g.dilationH
                                let iw = ow * g.strideW - g.padW + kw * g.dilationW
                                guard ih >= 0, ih < H, iw >= 0, iw < W else { continue }
                                body(((n * C + c) * H + ih) * W + iw, (c * g.kernelHeight + kh) * g.kernelWidth + kw,
                                     ((n * C + c) * OH + oh) * OW + ow)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `y = bias + Σ taps w·x`.
    public static func forward(_ g: Conv2dGeometry, input x: [T], weight w: [T], bias: [T]?) -> [T] {
        let plane = g.outHeight * g.outWidth
        var y = (0..<g.outputCount).map { bias?[($0 / plane) % g.outChannels] ?? 0 }
        forEachTap(g) { i, k, o in y[o] += w[k] * x[i] }
        return y
    }

    /// `dx = Σ taps w·dy`.
    public static func backwardInput(_ g: Conv2dGeometry, gradOutput dy: [T], weight w: [T]) -> [T] {
        var dx = [T](repeating: 0, count: g.inputCount)
        forEachTap(g) { i, k, o in dx[i] += w[k] * dy[o] }
        return dx
    }

    /// `dw = Σ taps x·dy`, `db[c] = Σ dy[n, c]`.
    public static func backwardWeight(_ g: Conv2dGeometry, input x: [T], gradOutput dy: [T]) -> (gradWeight: [T], gradBias: [T]) {
        var dw = [T](repeating: 0, count: g.weightCount), db = [T](repeating: 0, count: g.outChannels)
        forEachTap(g) { i, k, o in dw[k] += x[i] * dy[o] }
        let plane = g.outHeight * g.outWidth
        for o in 0..<g.outputCount { db[(o / plane) % g.outChannels] += dy[o] }
        return (dw, db)
    }
}
