/// Naive twin of `LayerNorm2d` (channels-first layer norm) on `(N, C, S)` arrays, generic so tests can
/// run it in Double.
public enum LayerNormReference<T: BinaryFloatingPoint> {
    /// Returns the output and the per-pixel mean and `1/√(var + eps)`, each `(N, S)`.
    public static func forward(batch N: Int, channels C: Int, spatial S: Int, _ x: [T], weight: [T]?, bias: [T]?,
                               eps: T) -> (output: [T], mean: [T], invStd: [T]) {
        var y = [T](repeating: 0, count: x.count)
        var means = [T](repeating: 0, count: N * S), invStds = [T](repeating: 0, count: N * S)
        for n in 0..<N {
            for s in 0..<S {
                let idx = (0..<C).map { (n * C + $0) * S + s }
                let mean = idx.reduce(T(0)) { $0 + x[$1] } / T(C)
                let variance = idx.reduce(T(0)) { $0 + (x[$1] - mean) * (x[$1] - mean) } / T(C)
                let invStd = 1 / (variance + eps).squareRoot()
                for (c, i) in idx.enumerated() { y[i] = (x[i] - mean) * invStd * (weight?[c] ?? 1) + (bias?[c] ?? 0) }
                means[n * S + s] = mean; invStds[n * S + s] = invStd
            }
        }
        return (y, means, invStds)
    }

    /// Gradients w.r.t. input, weight and bias, from the chain rule through mean and variance.
    public static func backward(batch N: Int, channels C: Int, spatial S: Int, _ x: [T], gradOutput dy: [T],
                                weight: [T]?, eps: T) -> (gradInput: [T], gradWeight: [T], gradBias: [T]) {
        var dx = [T](repeating: 0, count: x.count), dw = [T](repeating: 0, count: C), db = [T](repeating: 0, count: C)
        for n in 0..<N {
            for s in 0..<S {
                let idx = (0..<C).map { (n * C + $0) * S + s }
                let mean = idx.reduce(T(0)) { $0 + x[$1] } / T(C)
                let variance = idx.reduce(T(0)) { $0 + (x[$1] - mean) * (x[$1] - mean) } / T(C)
                let invStd = 1 / (variance + eps).squareRoot()
                let xhat = idx.map { (x[$0] - mean) * invStd }
                let gh = idx.enumerated().map { dy[$0.element] * (weight?[$0.offset] ?? 1) }
                let meanG = gh.reduce(0, +) / T(C)
                let meanGX = zip(gh, xhat).reduce(T(0)) { $0 + $1.0 * $1.1 } / T(C)
                for (c, i) in idx.enumerated() {
                    dx[i] = invStd * (gh[c] - meanG - xhat[c] * meanGX)
                    dw[c] += dy[i] * xhat[c]
                    db[c] += dy[i]
                }
            }
        }
        return (dx, dw, db)
    }
}
