#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax and log-softmax over the last dimension of a row-major `(rows, cols)` buffer
/// (classifier logits `(N, classes)`). Rows run in parallel; each row is reduced in a fixed order.
public enum Softmax {
    /// `output[r, j] = exp(x[r, j] − m) / Σ_k exp(x[r, k] − m)` with `m` the row maximum, so no
    /// term overflows (the usual stable form; the result is unchanged by the shift).
    public static func forward(rows: Int, cols: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        Parallel.forRanges(rows, minimumPerChunk: max(1, 4096 / max(cols, 1))) { range in
            for r in range {
                let x = input + r * cols, y = output + r * cols
                let m = rowMax(x, cols)
                var sum: Float = 0
                for j in 0..<cols { let e = expf(x[j] - m); y[j] = e; sum += e }
                let inv = 1 / sum
                for j in 0..<cols { y[j] *= inv }
            }
        }
    }

    /// `gradInput = y ⊙ (g − Σ_j g_j·y_j)` per row, from the forward's `output` y. Overwrites `gradInput`.
    public static func backward(rows: Int, cols: Int, output: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>) {
        Parallel.forRanges(rows, minimumPerChunk: max(1, 4096 / max(cols, 1))) { range in
            for r in range {
                let y = output + r * cols, g = gradOutput + r * cols, d = gradInput + r * cols
                var dot: Float = 0
                for j in 0..<cols { dot += g[j] * y[j] }
                for j in 0..<cols { d[j] = y[j] * (g[j] - dot) }
            }
        }
    }

    /// `output[r, j] = x[r, j] − m − log Σ_k exp(x[r, k] − m)` (log-sum-exp with the row max `m`).
    public static func logForward(rows: Int, cols: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        Parallel.forRanges(rows, minimumPerChunk: max(1, 4096 / max(cols, 1))) { range in
            for r in range {
                let x = input + r * cols, y = output + r * cols
                let m = rowMax(x, cols)
                var sum: Float = 0
                for j in 0..<cols { sum += expf(x[j] - m) }
                let shift = m + logf(sum)
                for j in 0..<cols { y[j] = x[j] - shift }
            }
        }
    }

    /// `gradInput = g − exp(y)·Σ_j g_j` per row, from the forward's `output` y = log-softmax.
    public static func logBackward(rows: Int, cols: Int, output: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                   gradInput: UnsafeMutablePointer<Float>) {
        Parallel.forRanges(rows, minimumPerChunk: max(1, 4096 / max(cols, 1))) { range in
            for r in range {
                let y = output + r * cols, g = gradOutput + r * cols, d = gradInput + r * cols
                var sum: Float = 0
                for j in 0..<cols { sum += g[j] }
                for j in 0..<cols { d[j] = g[j] - expf(y[j]) * sum }
            }
        }
    }

    /// Row maximum; NaN wins so that a NaN logit yields NaN outputs, as in PyTorch.
    @inline(__always) static func rowMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m = -Float.infinity
        for j in 0..<n { let v = x[j]; if v > m || v.isNaN { m = v } }
        return m
    }
}
