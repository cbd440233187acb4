/// Batch normalisation over `(N, C, S)` buffers (`S = H·W`), PyTorch's `BatchNorm2d` (Ioffe & Szegedy, 2015).
///
/// Every kernel parallelises over channels: one worker owns a channel's `N·S` values and reduces
/// them plane by plane in a fixed order, so statistics and parameter gradients are deterministic.
/// `weight`/`bias` `(C)` may be nil, meaning 1 and 0 (`affine=False`).
public enum BatchNorm2d {
    /// Normalises with the batch's own statistics (training mode).
    /// input, output `(N, C, S)`; saveMean, saveVariance, saveInvStd `(C)`. The variance is the
    /// biased one used for normalisation; `saveInvStd = 1/√(var + eps)`. The caller updates running
    /// statistics (PyTorch applies the unbiased correction `M/(M − 1)` there).
    public static func forwardTraining(batch: Int, channels: Int, spatial: Int, input: UnsafePointer<Float>,
                                       weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, eps: Float,
                                       output: UnsafeMutablePointer<Float>, saveMean: UnsafeMutablePointer<Float>,
                                       saveVariance: UnsafeMutablePointer<Float>, saveInvStd: UnsafeMutablePointer<Float>) {
        let N = batch, C = channels, S = spatial, M = Double(N * S)
        precondition(N * S > 0, "batch norm needs at least one value per channel")
        Parallel.forEach(C, minimumPerChunk: max(1, 16384 / (N * S))) { c in
            // Two passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
            var sum = 0.0
            for n in 0..<N { sum += PlaneReductions.sum(input + (n * C + c) * S, S) }
            let mean = Float(sum / M)
            var sq = 0.0
            for n in 0..<N { sq += PlaneReductions.sumSquaredDeviations(input + (n * C + c) * S, S, from: mean) }
            let variance = sq / M
            let invStd = 1 / (variance + Double(eps)).squareRoot()
            saveMean[c] = mean
            saveVariance[c] = Float(variance)
            saveInvStd[c] = Float(invStd)
            let scale = Float(invStd) * (weight?[c] ?? 1)
            let shift = (bias?[c] ?? 0) - mean * scale
            for n in 0..<N {
                let o = (n * C + c) * S
                PlaneReductions.affine(input + o, output + o, S, scale: scale, shift: shift)
            }
        }
    }

    /// Training-mode gradients through the batch statistics:
    /// `dx = w·invStd·(dy − mean(dy) − x̂·mean(dy·x̂))`, `dw = Σ dy·x̂`, `db = Σ dy`, with
    /// `x̂ = (x − mean)·invStd` (PyTorch's `batch_norm_backward`). input, gradOutput, gradInput
    /// `(N, C, S)`; saveMean, saveInvStd from `forwardTraining`. Overwrites every gradient given.
    public static func backwardTraining(batch: Int, channels: Int, spatial: Int, input: UnsafePointer<Float>,
                                        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                                        saveMean: UnsafePointer<Float>, saveInvStd: UnsafePointer<Float>,
                                        gradInput: UnsafeMutablePointer<Float>, gradWeight: UnsafeMutablePointer<Float>?,
                                        gradBias: UnsafeMutablePointer<Float>?) {
        let N = batch, C = channels, S = spatial, M = Double(N * S)
        Parallel.forEach(C, minimumPerChunk: max(1, 16384 / max(N * S, 1))) { c in
            let mean = saveMean[c], invStd = saveInvStd[c]
            var sumDy = 0.0, dotDyXc = 0.0
            for n in 0..<N {
                let o = (n * C + c) * S
                let (s, d) = PlaneReductions.sumAndCenteredDot(gradOutput + o, input + o, S, from: mean)
                sumDy += s; dotDyXc += d
            }
            gradBias?[c] = Float(sumDy)
            gradWeight?[c] = Float(dotDyXc * Double(invStd))
            // dx = k·dy − k·(x − mean)·proj − k·meanDy, rewritten as dy·k + x·a + b per element.
            let k = invStd * (weight?[c] ?? 1)
            let proj = Float(dotDyXc / M) * invStd * invStd
            let meanDy = Float(sumDy / M)
            let a = -k * proj, b = k * (mean * proj - meanDy)
            let kv = SIMD8<Float>(repeating: k), av = SIMD8<Float>(repeating: a), bv = SIMD8<Float>(repeating: b)
            for n in 0..<N {
                let o = (n * C + c) * S
                let x = input + o, g = gradOutput + o, d = gradInput + o
                var i = 0
                while i + 8 <= S {
                    let v = PlaneReductions.load(g + i) * kv + (PlaneReductions.load(x + i) * av + bv)
                    PlaneReductions.store(v, d + i)
                    i += 8
                }
                while i < S { d[i] = g[i] * k + (x[i] * a + b); i += 1 }
            }
        }
    }

    /// Eval mode: `y = (x − runningMean)/√(runningVar + eps)·w + b`. input, output `(N, C, S)`;
    /// runningMean, runningVariance `(C)`. Planes run in parallel.
    public static func forwardInference(batch: Int, channels: Int, spatial: Int, input: UnsafePointer<Float>,
                                        weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                                        runningMean: UnsafePointer<Float>, runningVariance: UnsafePointer<Float>,
                                        eps: Float, output: UnsafeMutablePointer<Float>) {
        let C = channels, S = spatial
        Parallel.forRanges(batch * C, minimumPerChunk: max(1, 16384 / max(S, 1))) { planes in
            for p in planes {
                let c = p % C
                let scale = (weight?[c] ?? 1) / (runningVariance[c] + eps).squareRoot()
                let shift = (bias?[c] ?? 0) - runningMean[c] * scale
                PlaneReductions.affine(input + p * S, output + p * S, S, scale: scale, shift: shift)
            }
        }
    }

    /// Eval-mode gradients, the statistics being constants (saliency and Grad-CAM on eval models):
    /// `dx = dy·w/√(var + eps)`, `dw = Σ dy·(x − mean)/√(var + eps)`, `db = Σ dy`.
    /// Shapes as in `forwardInference`; overwrites every gradient given.
    public static func backwardInference(batch: Int, channels: Int, spatial: Int, input: UnsafePointer<Float>,
                                         gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                                         runningMean: UnsafePointer<Float>, runningVariance: UnsafePointer<Float>,
                                         eps: Float, gradInput: UnsafeMutablePointer<Float>,
                                         gradWeight: UnsafeMutablePointer<Float>?, gradBias: UnsafeMutablePointer<Float>?) {
        let N = batch, C = channels, S = spatial
        let needSums = gradWeight != nil || gradBias != nil
        Parallel.forEach(C, minimumPerChunk: max(1, 16384 / max(N * S, 1))) { c in
            let invStd = 1 / (runningVariance[c] + eps).squareRoot()
            let k = invStd * (weight?[c] ?? 1)
            var sumDy = 0.0, dotDyXc = 0.0
            for n in 0..<N {
                let o = (n * C + c) * S
                if needSums {
                    let (s, d) = PlaneReductions.sumAndCenteredDot(gradOutput + o, input + o, S, from: runningMean[c])
                    sumDy += s; dotDyXc += d
                }
                PlaneReductions.affine(gradOutput + o, gradInput + o, S, scale: k, shift: 0)
            }
            gradBias?[c] = Float(sumDy)
            gradWeight?[c] = Float(dotDyXc * Double(invStd))
        }
    }
}
