/// Adaptive average pooling to a fixed output size, PyTorch's `AdaptiveAvgPool2d`.
///
/// Output row `i` averages input rows `[⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉)` (bins may overlap when `OH` does
/// not divide `H`), and likewise for columns. `(1, 1)` output is global average pooling.
public enum AdaptiveAvgPool2d {
    /// input `(N, C, H, W)` → output `(N, C, OH, OW)`. Planes run in parallel.
    public static func forward(batch: Int, channels: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int,
                               input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let H = inHeight, W = inWidth, OH = outHeight, OW = outWidth
        precondition(H > 0 && W > 0 && OH > 0 && OW > 0, "adaptive pooling needs positive sizes")
        let planeIn = H * W, planeOut = OH * OW
        Parallel.forRanges(batch * channels, minimumPerChunk: max(1, 8192 / planeIn)) { planes in
            for p in planes {
                let x = input + p * planeIn, y = output + p * planeOut
                for oh in 0..<OH {
                    let hs = binStart(oh, H, OH), he = binEnd(oh, H, OH)
                    for ow in 0..<OW {
                        let ws = binStart(ow, W, OW), we = binEnd(ow, W, OW)
                        var sum: Float = 0
                        for h in hs..<he {
                            let row = x + h * W
                            for w in ws..<we { sum += row[w] }
                        }
                        y[oh * OW + ow] = sum / Float((he - hs) * (we - ws))
                    }
                }
            }
        }
    }

    /// Spreads each `gradOutput (N, C, OH, OW)` element evenly over its bin. Overwrites
    /// `gradInput (N, C, H, W)`; one worker owns each plane.
    public static func backward(batch: Int, channels: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int,
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        let H = inHeight, W = inWidth, OH = outHeight, OW = outWidth
        precondition(H > 0 && W > 0 && OH > 0 && OW > 0, "adaptive pooling needs positive sizes")
        let planeIn = H * W, planeOut = OH * OW
        Parallel.forRanges(batch * channels, minimumPerChunk: max(1, 8192 / planeIn)) { planes in
            for p in planes {
                let dx = gradInput + p * planeIn, dy = gradOutput + p * planeOut
                dx.update(repeating: 0, count: planeIn)
                for oh in 0..<OH {
                    let hs = binStart(oh, H, OH), he = binEnd(oh, H, OH)
                    for ow in 0..<OW {
                        let ws = binStart(ow, W, OW), we = binEnd(ow, W, OW)
                        let share = dy[oh * OW + ow] / Float((he - hs) * (we - ws))
                        for h in hs..<he {
                            let row = dx + h * W
                            for w in ws..<we { row[w] += share }
                        }
                    }
                }
            }
        }
    }

    /// `⌊i·n/m⌋`: first input index of bin `i` of `m` over `n` inputs.
    @inlinable public static func binStart(_ i: Int, _ n: Int, _ m: Int) -> Int { (i * n) / m }
    /// `⌈(i+1)·n/m⌉`: one past the last input index of bin `i`.
    @inlinable public static func binEnd(_ i: Int, _ n: Int, _ m: Int) -> Int { ((i + 1) * n + m - 1) / m }
}
