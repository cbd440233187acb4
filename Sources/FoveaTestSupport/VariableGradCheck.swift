import Fovea

/// Compares the autograd gradients of `f` at `inputs` with central finite differences of the
/// scalar `sum(f(inputs) · R)` for a fixed random `R`, and returns the worst error
/// `|analytic − numeric| / max(1, |numeric|)` over every element of every input.
///
/// Runs in Float32 (the engine's precision), so use `eps ≈ 1e-2` and tolerances near 1e-2; the
/// Double-precision checks of each kernel's reference twin are in the kernel tests.
public func autogradMaxError(_ inputs: [Tensor], eps: Float = 1e-2, seed: UInt64 = 7,
                             _ f: ([Variable]) throws -> Variable) rethrows -> Double {
    var rng = RandomGenerator(seed: seed)
    let leaves = inputs.map { Variable($0, requiresGrad: true) }
    let out = try f(leaves)
    let r = Tensor.uniform(out.shape, low: -1, high: 1, using: &rng)
    out.backward(seed: r)
    func loss(_ xs: [Tensor]) throws -> Double {
        let y = try GradMode.withoutGradients { try f(xs.map { Variable($0) }) }
        return zip(y.value.storage, r.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    var worst = 0.0
    for (k, input) in inputs.enumerated() {
        let analytic = leaves[k].grad ?? Tensor(shape: input.shape)
        for i in 0..<input.count {
            var plus = inputs, minus = inputs
            plus[k].storage[i] += eps
            minus[k].storage[i] -= eps
            let numeric = (try loss(plus) - loss(minus)) / (2 * Double(eps))
            let err = abs(Double(analytic.storage[i]) - numeric) / max(1, abs(numeric))
            worst = max(worst, err.isNaN ? .infinity : err)
        }
    }
    return worst
}
