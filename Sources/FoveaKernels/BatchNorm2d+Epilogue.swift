extension BatchNorm2d {
    /// In place on `data (N, C, H·W)`: eval-mode batch norm, `x·w/√(var + eps) + (b − mean·w/√(var + eps))`,
    /// then `activation` when given — `forwardInference` followed by `Activations.forward`, done
    /// one plane at a time while it is in cache and without a second buffer. The inference epilogue
    /// of a convolution whose output nothing else holds yet.
    public static func inferenceEpilogue(batch: Int, channels: Int, spatial: Int, data: UnsafeMutablePointer<Float>,
                                         weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                                         runningMean: UnsafePointer<Float>, runningVariance: UnsafePointer<Float>,
                                         eps: Float, activation: ActivationKind?) {
        let C = channels, S = spatial
        // Pieces small enough that `Activations.forward` stays on this thread.
        let piece = 8192
        Parallel.forRanges(batch * C, minimumPerChunk: max(1, 16384 / max(S, 1))) { planes in
            for p in planes {
                let c = p % C, plane = data + p * S
                let scale = (weight?[c] ?? 1) / (runningVariance[c] + eps).squareRoot()
                let shift = (bias?[c] ?? 0) - runningMean[c] * scale
                PlaneReductions.affine(plane, plane, S, scale: scale, shift: shift)
                guard let activation else { continue }
                var start = 0
                while start < S {
                    let n = min(piece, S - start)
                    Activations.forward(activation, input: plane + start, output: plane + start, count: n)
                    start += n
                }
            }
        }
    }
}
