/// Naive twin of `BatchNorm2d` on `(N, C, S)` arrays, generic so tests can run it in Double.
/// Nil weight/bias mean 1/0, as in the fast kernels.
public enum BatchNormReference<T: BinaryFloatingPoint> {
    /// Training mode: returns the output, the batch mean and the biased variance `(C)`.
    public static func forwardTraining(batch N: Int, channels C: Int, spatial S: Int, _ x: [T], weight: [T]?,
                                       bias: [T]?, eps: T) -> (output: [T], mean: [T], variance: [T]) {
        var y = [T](repeating: 0, count: x.count), means = [T](), variances = [T]()
        for c in 0..<C {
            let values = indices(N, C, S, c).map { x[$0] }
            let mean = values.reduce(0, +) / T(values.count)
            let variance = values.reduce(T(0)) { $0 + ($1 - mean) * ($1 - mean) } / T(values.count)
            let invStd = 1 / (variance + eps).squareRoot()
            for i in indices(N, C, S, c) { y[i] = (x[i] - mean) * invStd * (weight?[c] ?? 1) + (bias?[c] ?? 0) }
            means.append(mean); variances.append(variance)
        }
        return (y, means, variances)
    }

    /// Training-mode gradients (through the batch statistics), derived term by term:
    /// `dx = w·invStd·(dy − mean(dy)) − w·invStd³·(x − μ)·mean(dy·(x − μ))`.
    public static func backwardTraining(batch N: Int, channels C: Int, spatial S: Int, _ x: [T], gradOutput dy: [T],
                                        weight: [T]?, eps: T) -> (gradInput: [T], gradWeight: [T], gradBias: [T]) {
        var dx = [T](repeating: 0, count: x.count), dw = [T](), db = [T]()
        for c in 0..<C {
            let idx = indices(N, C, S, c), M = T(idx.count)
            let mean = idx.reduce(T(0)) { $0 + x[$1] } / M
            let variance = idx.reduce(T(0)) { $0 + (x[$1] - mean) * (x[$1] - mean) } / M
            let invStd = 1 / (variance + eps).squareRoot()
            let w = weight?[c] ?? 1
            let meanDy = idx.reduce(T(0)) { $0 + dy[$1] } / M
            let meanDyXc = idx.reduce(T(0)) { $0 + dy[$1] * (x[$1] - mean) } / M
            for i in idx {
                dx[i] = w * invStd * (dy[i] - meanDy) - w * invStd * invStd * invStd * (x[i] - mean) * meanDyXc
            }
            dw.append(meanDyXc * M * invStd)
            db.append(meanDy * M)
        }
        return (dx, dw, db)
    }

    /// Eval mode with running statistics.
    public static func forwardInference(batch N: Int, channels C: Int, spatial S: Int, _ x: [T], weight: [T]?, bias: [T]?,
                                        runningMean: [T], runningVariance: [T], eps: T) -> [T] {
        var y = [T](repeating: 0, count: x.count)
        for c in 0..<C {
            for i in indices(N, C, S, c) {
                y[i] = (x[i] - runningMean[c]) / (runningVariance[c] + eps).squareRoot() * (weight?[c] ?? 1) + (bias?[c] ?? 0)
            }
        }
        return y
    }

    /// Eval-mode gradients (statistics constant).
    public static func backwardInference(batch N: Int, channels C: Int, spatial S: Int, _ x: [T], gradOutput dy: [T],
                                         weight: [T]?, runningMean: [T], runningVariance: [T],
                                         eps: T) -> (gradInput: [T], gradWeight: [T], gradBias: [T]) {
        var dx = [T](repeating: 0, count: x.count), dw = [T](repeating: 0, count: C), db = [T](repeating: 0, count: C)
        for c in 0..<C {
            let invStd = 1 / (runningVariance[c] + eps).squareRoot()
            for i in indices(N, C, S, c) {
                dx[i] = dy[i] * invStd * (weight?[c] ?? 1)
                dw[c] += dy[i] * (x[i] - runningMean[c]) * invStd
                db[c] += dy[i]
            }
        }
        return (dx, dw, db)
    }

    /// Flat positions of channel `c` in an `(N, C, S)` buffer.
    static func indices(_ N: Int, _ C: Int, _ S: Int, _ c: Int) -> [Int] {
        var result = [Int]()
        for n in 0..<N { result += Array(((n * C + c) * S)..<((n * C + c + 1) * S)) }
        return result
    }
}
