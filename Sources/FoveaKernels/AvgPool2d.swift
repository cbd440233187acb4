/// 2-D average pooling over NCHW planes, PyTorch's `AvgPool2d` (floor mode, no divisor override).
///
/// The window of output `(oh, ow)` starts at `oh·strideH − padH`. With `countIncludePad` the divisor
/// is the window clipped to the padded input (`min(start + K, H + pad) − start` per axis); without,
/// it is the number of real input elements in the window — the rule of PyTorch's `avg_pool2d` kernel.
public enum AvgPool2d {
    /// input `(N, C, H, W)` → output `(N, C, OH, OW)`. Planes run in parallel.
    public static func forward(_ g: Pool2dGeometry, countIncludePad: Bool, input: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid pooling geometry")
        let H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        let planeIn = H * W, planeOut = OH * OW
        Parallel.forRanges(g.batch * g.channels, minimumPerChunk: max(1, 8192 / max(planeOut, 1))) { planes in
            for p in planes {
                let x = input + p * planeIn, y = output + p * planeOut
                for oh in 0..<OH {
                    let (hs, he, hPadded) = window(oh, g.strideH, g.padH, g.kernelHeight, H)
                    for ow in 0..<OW {
                        let (ws, we, wPadded) = window(ow, g.strideW, g.padW, g.kernelWidth, W)
                        var sum: Float = 0
                        for h in hs..<he {
                            let row = x + h * W
                            for w in ws..<we { sum += row[w] }
                        }
                        let count = countIncludePad ? hPadded * wPadded : (he - hs) * (we - ws)
                        y[oh * OW + ow] = sum / Float(count)
                    }
                }
            }
        }
    }

    /// Spreads each `gradOutput (N, C, OH, OW)` element evenly (by the forward's divisor) over its
    /// window. Overwrites `gradInput (N, C, H, W)`; one worker owns each plane.
    public static func backward(_ g: Pool2dGeometry, countIncludePad: Bool, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid pooling geometry")
        let H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        let planeIn = H * W, planeOut = OH * OW
        Parallel.forRanges(g.batch * g.channels, minimumPerChunk: max(1, 8192 / max(planeIn, 1))) { planes in
            for p in planes {
                let dx = gradInput + p * planeIn, dy = gradOutput + p * planeOut
                dx.update(repeating: 0, count: planeIn)
                for oh in 0..<OH {
                    let (hs, he, hPadded) = window(oh, g.strideH, g.padH, g.kernelHeight, H)
                    for ow in 0..<OW {
                        let (ws, we, wPadded) = window(ow, g.strideW, g.padW, g.kernelWidth, W)
                        let count = countIncludePad ? hPadded * wPadded : (he - hs) * (we - ws)
                        let share = dy[oh * OW + ow] / Float(count)
                        for h in hs..<he {
                            let row = dx + h * W
                            for w in ws..<we { row[w] += share }
                        }
                    }
                }
            }
        }
    }

    /// The clipped window `[start, end)` of output position `o` along one axis, and its length
    /// clipped only to the padded extent (PyTorch's `pool_size` factor).
    @inline(__always)
    static func window(_ o: Int, _ stride: Int, _ pad: Int, _ k: Int, _ n: Int) -> (Int, Int, Int) {
        let s = o * stride - pad
        let padded = min(s + k, n + pad) - s
        return (max(s, 0), min(s + k, n), padded)
    }
}
