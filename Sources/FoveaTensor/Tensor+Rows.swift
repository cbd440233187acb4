import Foundation

// Batch and row helpers shared by prediction, evaluation and the attribution methods, so that none
// of them slices raw storage itself. "Items" are along the first (batch) dimension; "rows" are
// those of an `(N, K)` matrix.
extension Tensor {
    /// Elements per item along the first dimension (`C·H·W` of an `(N, C, H, W)` batch).
    public var itemCount: Int { shape.isEmpty ? 1 : shape.dropFirst().reduce(1, *) }

    /// Items `range` of a batch: `(N, …)` → `(range.count, …)`. The range must lie in `0...N`.
    public func slice(_ range: Range<Int>) -> Tensor {
        precondition(!shape.isEmpty && range.lowerBound >= 0 && range.upperBound <= shape[0], "slice \(range) of shape \(shape)")
        let per = itemCount
        return Tensor(shape: [range.count] + shape.dropFirst(), storage: Array(storage[(range.lowerBound * per)..<(range.upperBound * per)]))
    }

    /// Item `i` of a batch without its batch dimension: `(N, …)` → `(…)`.
    public func item(_ i: Int) -> Tensor {
        let per = itemCount
        return Tensor(shape: Array(shape.dropFirst()), storage: Array(storage[(i * per)..<((i + 1) * per)]))
    }

    /// Batches joined along the first dimension; every part must have the first part's item shape.
    public init(concatenating parts: [Tensor]) {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.shape.dropFirst() == parts[0].shape.dropFirst() },
                     "concatenated batches need equal item shapes, got \(parts.map(\.shape))")
        self.init(shape: [parts.reduce(0) { $0 + $1.shape[0] }] + parts[0].shape.dropFirst(), storage: parts.flatMap(\.storage))
    }

    /// One-hot rows `(N, K)`: row `i` is 1 at `targets[i]`.
    public static func oneHot(_ targets: [Int], classes K: Int) -> Tensor {
        var t = Tensor(shape: [targets.count, K])
        for (i, k) in targets.enumerated() { t.storage[i * K + k] = 1 }
        return t
    }

    /// The index of the largest value in each row of `(N, K)` (the first one on ties).
    public func argmaxRows() -> [Int] {
        let K = shape.last ?? 1
        return withUnsafePointer { p in
            (0..<(count / max(K, 1))).map { r in
                var best = 0
                for j in 1..<K where p[r * K + j] > p[r * K + best] { best = j }
                return best
            }
        }
    }

    /// Row-wise softmax of `(N, K)`, summed in Double and stabilised by the row maximum.
    public func softmaxRows() -> Tensor {
        let K = shape.last ?? 1
        var out = self
        for n in 0..<(count / max(K, 1)) {
            let row = storage[(n * K)..<((n + 1) * K)]
            let m = row.max() ?? 0
            let e = row.map { Foundation.exp(Double($0 - m)) }
            let s = e.reduce(0, +)
            for k in 0..<K { out.storage[n * K + k] = Float(e[k] / s) }
        }
        return out
    }
}
