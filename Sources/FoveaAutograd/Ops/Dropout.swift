import FoveaTensor

/// Dropout (Srivastava et al. 2014): zeroes each element with probability `p` and scales the
/// survivors by `1/(1 − p)`, so evaluation needs no rescaling. Identity when not training.
public func dropout(_ x: Variable, p: Float, training: Bool, using rng: inout RandomGenerator, label: String = "dropout") throws -> Variable {
    guard p >= 0, p < 1 else { throw ConfigurationError(owner: label, "dropout probability must be in [0, 1), got \(p)") }
    guard training, p > 0 else { return x }
    let keep = 1 / (1 - p)
    let mask = Tensor(shape: x.shape) { m in for i in m.indices { m[i] = rng.nextUnitFloat() < p ? 0 : keep } }
    return try x * Variable(mask)
}

/// Stochastic depth (Huang et al. 2016) in torchvision's "row" mode: drops a residual branch for
/// whole samples with probability `p`, scaling kept samples by `1/(1 − p)`. Identity when not training.
public func stochasticDepth(_ x: Variable, p: Float, training: Bool, using rng: inout RandomGenerator, label: String = "stochastic_depth") throws -> Variable {
    guard p >= 0, p <= 1 else { throw ConfigurationError(owner: label, "drop probability must be in [0, 1], got \(p)") }
    guard training, p > 0 else { return x }
    let keep: Float = p < 1 ? 1 / (1 - p) : 0
    var shape = [Int](repeating: 1, count: x.shape.count)
    shape[0] = x.shape[0]
    let mask = Tensor(shape: shape) { m in for i in m.indices { m[i] = rng.nextUnitFloat() < p ? 0 : keep } }
    return try x * Variable(mask)
}
