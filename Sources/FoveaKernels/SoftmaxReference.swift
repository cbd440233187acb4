#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Naive twin of `Softmax` on row-major `(rows, cols)` arrays, generic so tests can run it in Double.
public enum SoftmaxReference<T: BinaryFloatingPoint> {
    /// `exp(x_j − m) / Σ exp(x_k − m)` per row.
    public static func forward(rows: Int, cols: Int, _ x: [T]) -> [T] {
        var y = [T](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            let row = (0..<cols).map { Double(x[r * cols + $0]) }
            let m = row.max() ?? 0
            let e = row.map { exp($0 - m) }
            let s = e.reduce(0, +)
            for j in 0..<cols { y[r * cols + j] = T(e[j] / s) }
        }
        return y
    }

    /// `y ⊙ (g − ⟨g, y⟩)` per row.
    public static func backward(rows: Int, cols: Int, output y: [T], gradOutput g: [T]) -> [T] {
        var d = [T](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            var dot: T = 0
            for j in 0..<cols { dot += g[r * cols + j] * y[r * cols + j] }
            for j in 0..<cols { d[r * cols + j] = y[r * cols + j] * (g[r * cols + j] - dot) }
        }
        return d
    }

    /// `x_j − log Σ exp(x_k)` per row, via the max shift.
    public static func logForward(rows: Int, cols: Int, _ x: [T]) -> [T] {
        var y = [T](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            let row = (0..<cols).map { Double(x[r * cols + $0]) }
            let m = row.max() ?? 0
            let lse = m + log(row.map { exp($0 - m) }.reduce(0, +))
            for j in 0..<cols { y[r * cols + j] = T(row[j] - lse) }
        }
        return y
    }

    /// `g − exp(y)·Σ g` per row.
    public static func logBackward(rows: Int, cols: Int, output y: [T], gradOutput g: [T]) -> [T] {
        var d = [T](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            var s: T = 0
            for j in 0..<cols { s += g[r * cols + j] }
            for j in 0..<cols { d[r * cols + j] = g[r * cols + j] - T(exp(Double(y[r * cols + j]))) * s }
        }
        return d
    }
}
