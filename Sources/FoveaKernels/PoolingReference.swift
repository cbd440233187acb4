/// Naive twins of `MaxPool2d`, `AvgPool2d` and `AdaptiveAvgPool2d` on NCHW arrays, generic so tests
/// can run them in Double. Written from the definitions: each output visits its whole nominal window
/// and skips positions outside the input.
public enum PoolingReference<T: BinaryFloatingPoint> {
    /// Max pooling: `(N, C, H, W)` → values and in-plane flat indices `(N, C, OH, OW)`.
    public static func maxForward(_ g: Pool2dGeometry, _ x: [T]) -> (output: [T], indices: [Int]) {
        var y = [T](), ix = [Int]()
        for p in 0..<(g.batch * g.channels) {
            for oh in 0..<g.outHeight {
                for ow in 0..<g.outWidth {
                    var best = -T.infinity, bestIndex = -1
                    for kh in 0..<g.kernelHeight {
                        for kw in 0..<g.kernelWidth {
                            let h = oh * g.strideH - g.padH + kh, w = ow * g.strideW - g.padW + kw
                            guard h >= 0, h < g.inHeight, w >= 0, w < g.inWidth else { continue }
                            let v = x[(p * g.inHeight + h) * g.inWidth + w]
                            if bestIndex < 0 || v > best || v.isNaN { best = v; bestIndex = h * g.inWidth + w }
                        }
                    }
                    y.append(best); ix.append(bestIndex)
                }
            }
        }
        return (y, ix)
    }

    /// Max pooling backward: each output gradient goes to its argmax.
    public static func maxBackward(_ g: Pool2dGeometry, indices: [Int], gradOutput: [T]) -> [T] {
        var dx = [T](repeating: 0, count: g.inputCount)
        let planeOut = g.outHeight * g.outWidth, planeIn = g.inHeight * g.inWidth
        for i in 0..<gradOutput.count { dx[(i / planeOut) * planeIn + indices[i]] += gradOutput[i] }
        return dx
    }

    /// Average pooling with PyTorch's divisor rule (see `AvgPool2d`).
    public static func avgForward(_ g: Pool2dGeometry, countIncludePad: Bool, _ x: [T]) -> [T] {
        var y = [T]()
        for p in 0..<(g.batch * g.channels) {
            for oh in 0..<g.outHeight {
                for ow in 0..<g.outWidth {
                    let cells = avgWindow(g, oh, ow, countIncludePad)
                    y.append(cells.positions.reduce(T(0)) { $0 + x[p * g.inHeight * g.inWidth + $1] } / T(cells.divisor))
                }
            }
        }
        return y
    }

    /// Average pooling backward: each output gradient is shared equally by its window.
    public static func avgBackward(_ g: Pool2dGeometry, countIncludePad: Bool, gradOutput: [T]) -> [T] {
        var dx = [T](repeating: 0, count: g.inputCount)
        var i = 0
        for p in 0..<(g.batch * g.channels) {
            for oh in 0..<g.outHeight {
                for ow in 0..<g.outWidth {
                    let cells = avgWindow(g, oh, ow, countIncludePad)
                    for q in cells.positions { dx[p * g.inHeight * g.inWidth + q] += gradOutput[i] / T(cells.divisor) }
                    i += 1
                }
            }
        }
        return dx
    }

    /// In-plane positions inside output `(oh, ow)`'s window, and its divisor. Without
    /// `countIncludePad` the divisor counts real elements; with it, the window clipped to `H + pad`.
    static func avgWindow(_ g: Pool2dGeometry, _ oh: Int, _ ow: Int, _ countIncludePad: Bool) -> (positions: [Int], divisor: Int) {
        var positions = [Int](), padded = 0
        for kh in 0..<g.kernelHeight {
            for kw in 0..<g.kernelWidth {
                let h = oh * g.strideH - g.padH + kh, w = ow * g.strideW - g.padW + kw
                if h < g.inHeight + g.padH && w < g.inWidth + g.padW { padded += 1 }
                if h >= 0, h < g.inHeight, w >= 0, w < g.inWidth { positions.append(h * g.inWidth + w) }
            }
        }
        return (positions, countIncludePad ? padded : positions.count)
    }

    /// Adaptive average pooling, `(N, C, H, W)` → `(N, C, OH, OW)` with PyTorch's bins.
    public static func adaptiveAvgForward(batch: Int, channels: Int, inHeight H: Int, inWidth W: Int,
                                          outHeight OH: Int, outWidth OW: Int, _ x: [T]) -> [T] {
        var y = [T]()
        for p in 0..<(batch * channels) {
            for oh in 0..<OH {
                for ow in 0..<OW {
                    let hs = (oh * H) / OH, he = Int((Double((oh + 1) * H) / Double(OH)).rounded(.up))
                    let ws = (ow * W) / OW, we = Int((Double((ow + 1) * W) / Double(OW)).rounded(.up))
                    var s: T = 0
                    for h in hs..<he { for w in ws..<we { s += x[(p * H + h) * W + w] } }
                    y.append(s / T((he - hs) * (we - ws)))
                }
            }
        }
        return y
    }

    /// Adaptive average pooling backward.
    public static func adaptiveAvgBackward(batch: Int, channels: Int, inHeight H: Int, inWidth W: Int,
                                           outHeight OH: Int, outWidth OW: Int, gradOutput: [T]) -> [T] {
        var dx = [T](repeating: 0, count: batch * channels * H * W)
        var i = 0
        for p in 0..<(batch * channels) {
            for oh in 0..<OH {
                for ow in 0..<OW {
                    let hs = (oh * H) / OH, he = Int((Double((oh + 1) * H) / Double(OH)).rounded(.up))
                    let ws = (ow * W) / OW, we = Int((Double((ow + 1) * W) / Double(OW)).rounded(.up))
                    let share = gradOutput[i] / T((he - hs) * (we - ws))
                    for h in hs..<he { for w in ws..<we { dx[(p * H + h) * W + w] += share } }
                    i += 1
                }
            }
        }
        return dx
    }
}
