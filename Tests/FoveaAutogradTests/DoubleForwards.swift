import Fovea
import FoveaKernels

/// Double re-implementations of the autograd ops that have no reference twin in FoveaKernels,
/// written from the definitions (index arithmetic spelled out) rather than from the ops' code, so
/// that finite differences of them are an independent oracle.
enum DoubleForwards {
    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { s[d] = s[d + 1] * shape[d + 1] }
        return s
    }

    /// NumPy broadcasting of `f` over `a` (shape `sa`) and `b` (shape `sb`).
    static func broadcast(_ a: [Double], _ sa: [Int], _ b: [Double], _ sb: [Int],
                          _ f: (Double, Double) -> Double) -> [Double] {
        let rank = max(sa.count, sb.count)
        let pa = [Int](repeating: 1, count: rank - sa.count) + sa
        let pb = [Int](repeating: 1, count: rank - sb.count) + sb
        let out = zip(pa, pb).map { max($0, $1) }
        let (ta, tb, to) = (strides(pa), strides(pb), strides(out))
        return (0..<out.reduce(1, *)).map { i in
            var ia = 0, ib = 0
            for d in 0..<rank {
                let coordinate = (i / to[d]) % out[d]
                if pa[d] != 1 { ia += coordinate * ta[d] }
                if pb[d] != 1 { ib += coordinate * tb[d] }
            }
            return f(a[ia], b[ib])
        }
    }

    /// Concatenation of row-major tensors along `dim`.
    static func concat(_ xs: [[Double]], shapes: [[Int]], dim: Int) -> [Double] {
        let outer = shapes[0].prefix(dim).reduce(1, *)
        var y: [Double] = []
        for o in 0..<outer {
            for (x, shape) in zip(xs, shapes) {
                let block = shape.dropFirst(dim).reduce(1, *)
                y += x[(o * block)..<((o + 1) * block)]
            }
        }
        return y
    }

    /// `x·Wᵀ + b` for x `(n, inF)`, W `(outF, inF)`.
    static func linear(_ x: [Double], _ w: [Double], _ b: [Double]?, n: Int, inF: Int, outF: Int) -> [Double] {
        var y = [Double](repeating: 0, count: n * outF)
        for r in 0..<n {
            for o in 0..<outF {
                var s = b?[o] ?? 0
                for i in 0..<inF { s += x[r * inF + i] * w[o * inF + i] }
                y[r * outF + o] = s
            }
        }
        return y
    }

    /// Cross-entropy of logits `(n, k)` with label smoothing `epsilon`, averaged over the batch.
    static func crossEntropy(_ logits: [Double], targets: [Int], classes k: Int, epsilon: Double) -> Double {
        let n = targets.count
        let logProbs = SoftmaxReference<Double>.logForward(rows: n, cols: k, logits)
        var loss = 0.0
        for (i, t) in targets.enumerated() {
            for j in 0..<k {
                let target = (j == t ? 1 - epsilon : 0) + epsilon / Double(k)
                loss -= target * logProbs[i * k + j]
            }
        }
        return loss / Double(n)
    }
}
