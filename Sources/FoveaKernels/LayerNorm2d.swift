/// Layer normalisation over the channels of an NCHW tensor — ConvNeXt's `LayerNorm` with
/// `data_format="channels_first"` (Liu et al., 2022, arXiv:2201.03545): every pixel `(n, s)` has
/// its `C` values normalised with their own mean and biased variance, then scaled by `weight[c]`
/// and shifted by `bias[c]`.
///
/// In NCHW a pixel's channels are `S` floats apart, so the kernels sweep blocks of `block`
/// contiguous pixels channel by channel, keeping the block's statistics in L1 and vectorising along
/// the pixels. Blocks `(n, pixel range)` run in parallel; parameter gradients are reduced per channel.
public enum LayerNorm2d {
    /// Pixels per work unit: 4 KiB of statistics per row of accumulators.
    static let block = 1024

    /// input, output `(N, C, S)`; weight, bias `(C)` or nil (1 / 0); saveMean, saveInvStd `(N, S)`
    /// with `saveInvStd = 1/√(var + eps)`.
    public static func forward(batch: Int, channels: Int, spatial: Int, input: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, eps: Float,
                               output: UnsafeMutablePointer<Float>, saveMean: UnsafeMutablePointer<Float>,
                               saveInvStd: UnsafeMutablePointer<Float>) {
        let C = channels, S = spatial
        precondition(C > 0, "layer norm needs channels")
        let blocksPerImage = (S + block - 1) / block
        Parallel.forRanges(batch * blocksPerImage, minimumPerChunk: max(1, 16384 / max(C * min(S, block), 1))) { units in
            for u in units {
                let n = u / blocksPerImage, s0 = (u % blocksPerImage) * block, len = min(block, S - s0)
                let x = input + n * C * S + s0, y = output + n * C * S + s0
                let mean = saveMean + n * S + s0, inv = saveInvStd + n * S + s0
                mean.update(repeating: 0, count: len)
                inv.update(repeating: 0, count: len)
                for c in 0..<C { accumulate(x + c * S, into: mean, len) }
                scale(mean, len, by: 1 / Float(C))
                // Second pass over the block for the variance (no E[x²] − E[x]² cancellation).
                for c in 0..<C { accumulateSquaredDeviations(x + c * S, mean, into: inv, len) }
                for i in 0..<len { inv[i] = 1 / (inv[i] / Float(C) + eps).squareRoot() }
                for c in 0..<C {
                    let w = weight?[c] ?? 1, b = bias?[c] ?? 0
                    let xc = x + c * S, yc = y + c * S
                    let wv = V(repeating: w), bv = V(repeating: b)
                    var i = 0
                    while i + 8 <= len {
                        let xh = (PlaneReductions.load(xc + i) - PlaneReductions.load(mean + i)) * PlaneReductions.load(inv + i)
                        PlaneReductions.store(xh * wv + bv, yc + i)
                        i += 8
                    }
                    while i < len { yc[i] = (xc[i] - mean[i]) * inv[i] * w + b; i += 1 }
                }
            }
        }
    }

    /// Per pixel, with `x̂ = (x − mean)·invStd` and `ĝ = dy·w`:
    /// `dx = invStd·(ĝ − mean_c(ĝ) − x̂·mean_c(ĝ·x̂))`; `dw[c] = Σ_{n,s} dy·x̂`, `db[c] = Σ_{n,s} dy`.
    /// Shapes as in `forward`; overwrites every gradient given.
    public static func backward(batch: Int, channels: Int, spatial: Int, input: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                                saveMean: UnsafePointer<Float>, saveInvStd: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>, gradWeight: UnsafeMutablePointer<Float>?,
                                gradBias: UnsafeMutablePointer<Float>?) {
        let N = batch, C = channels, S = spatial
        let blocksPerImage = (S + block - 1) / block
        Parallel.forRanges(N * blocksPerImage, minimumPerChunk: max(1, 16384 / max(C * min(S, block), 1))) { units in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * block) { tmp in
                let sumG = tmp.baseAddress!, sumGX = sumG + block
                for u in units {
                    let n = u / blocksPerImage, s0 = (u % blocksPerImage) * block, len = min(block, S - s0)
                    let x = input + n * C * S + s0, g = gradOutput + n * C * S + s0, d = gradInput + n * C * S + s0
                    let mean = saveMean + n * S + s0, inv = saveInvStd + n * S + s0
                    sumG.update(repeating: 0, count: len)
                    sumGX.update(repeating: 0, count: len)
                    for c in 0..<C {
                        let w = weight?[c] ?? 1
                        let xc = x + c * S, gc = g + c * S
                        for i in 0..<len {
                            let gh = gc[i] * w
                            sumG[i] += gh
                            sumGX[i] += gh * ((xc[i] - mean[i]) * inv[i])
                        }
                    }
                    scale(sumG, len, by: 1 / Float(C))
                    scale(sumGX, len, by: 1 / Float(C))
                    for c in 0..<C {
                        let w = weight?[c] ?? 1
                        let xc = x + c * S, gc = g + c * S, dc = d + c * S
                        for i in 0..<len {
                            let xh = (xc[i] - mean[i]) * inv[i]
                            dc[i] = inv[i] * (gc[i] * w - sumG[i] - xh * sumGX[i])
                        }
                    }
                }
            }
        }
        guard gradWeight != nil || gradBias != nil else { return }
        Parallel.forEach(C, minimumPerChunk: max(1, 16384 / max(N * S, 1))) { c in
            var sumDy = 0.0, dotDyXhat = 0.0
            for n in 0..<N {
                let xc = input + (n * C + c) * S, gc = gradOutput + (n * C + c) * S
                let mean = saveMean + n * S, inv = saveInvStd + n * S
                var a = V(), b = V(), i = 0
                while i + 8 <= S {
                    let gv = PlaneReductions.load(gc + i)
                    a += gv
                    b = gv * ((PlaneReductions.load(xc + i) - PlaneReductions.load(mean + i)) * PlaneReductions.load(inv + i)) + b
                    i += 8
                }
                var s = Double(a.sum()), t = Double(b.sum())
                while i < S { s += Double(gc[i]); t += Double(gc[i] * ((xc[i] - mean[i]) * inv[i])); i += 1 }
                sumDy += s; dotDyXhat += t
            }
            gradBias?[c] = Float(sumDy)
            gradWeight?[c] = Float(dotDyXhat)
        }
    }

    typealias V = SIMD8<Float>

    @inline(__always) static func accumulate(_ x: UnsafePointer<Float>, into acc: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { acc[i] += x[i] }
    }

    @inline(__always) static func accumulateSquaredDeviations(_ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                                                              into acc: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { let d = x[i] - m[i]; acc[i] += d * d }
    }

    @inline(__always) static func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, by f: Float) {
        for i in 0..<n { x[i] *= f }
    }
}
