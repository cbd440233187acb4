import FoveaAutograd
import FoveaTensor

/// Cross-entropy of logits `(N, K)` against class indices, averaged over the batch, with optional
/// label smoothing ε (Szegedy et al. 2016): the target is `(1 − ε)·onehot + ε/K`, as in PyTorch.
public func crossEntropy(_ logits: Variable, targets: [Int], labelSmoothing: Float = 0) throws -> Variable {
    guard logits.shape.count == 2, logits.shape[0] == targets.count else {
        throw ShapeError(layer: "cross_entropy", expected: "logits (\(targets.count), classes)", actual: logits.shape)
    }
    guard labelSmoothing >= 0, labelSmoothing <= 1 else {
        throw ConfigurationError(owner: "cross_entropy", "label smoothing must be in [0, 1], got \(labelSmoothing)")
    }
    let (n, k) = (logits.shape[0], logits.shape[1])
    if let bad = targets.first(where: { $0 < 0 || $0 >= k }) {
        throw ConfigurationError(owner: "cross_entropy", "target class \(bad) is outside 0..<\(k)")
    }
    let logProbs = try logSoftmax(logits)
    // weights[i, j] = −(target distribution)/N, so loss = Σ weights · logProbs.
    let weights = Tensor(shape: [n, k]) { w in
        let off = labelSmoothing / Float(k) / Float(n)
        for i in 0..<(n * k) { w[i] = -off }
        for (i, t) in targets.enumerated() { w[i * k + t] -= (1 - labelSmoothing) / Float(n) }
    }
    return try sum(logProbs * Variable(weights))
}

/// Mean squared error `mean((x − target)²)`.
public func mseLoss(_ x: Variable, target: Tensor) throws -> Variable {
    guard x.shape == target.shape else { throw ShapeError(layer: "mse_loss", expected: "input of the target's shape \(target.shape)", actual: x.shape) }
    let diff = try x - Variable(target)
    return try mean(diff * diff)
}
