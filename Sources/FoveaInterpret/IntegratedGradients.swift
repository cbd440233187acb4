import Foundation
import FoveaTensor

/// Integrated Gradients: Sundararajan, Taly & Yan 2017, "Axiomatic Attribution for Deep
/// Networks", arXiv:1703.01365. `IG_i = (x_i − x'_i) · ∫₀¹ ∂S(x' + α(x − x'))/∂x_i dα`, the
/// integral by a quadrature rule over `steps` points. By completeness (§3, Proposition 1),
/// `Σ_i IG_i = S(x) − S(x')`; the gap left by the quadrature is reported per image.
///
/// All `N · steps` interpolated images run through the model in passes of at most `batchSize`.
public struct IntegratedGradients: AttributionMethod {
    /// Quadrature rules, as Captum names them (`method=` of `IntegratedGradients.attribute`).
    public enum Rule: String, Sendable, CaseIterable {
        /// Gauss–Legendre nodes on [0, 1] (Captum's default).
        case gaussLegendre = "gausslegendre"
        /// Riemann sums with the left, right or middle point of each of `steps` intervals.
        case riemannLeft = "riemann_left", riemannRight = "riemann_right", riemannMiddle = "riemann_middle"
        /// Trapezoid over `steps` evenly spaced points (Captum's weights: 1/steps, ends halved).
        case riemannTrapezoid = "riemann_trapezoid"
    }

    /// The baseline `x'`: a constant in the model's (normalised) input space, or one image per input.
    public enum Baseline: Sendable {
        case constant(Float)
        case images(Tensor)
    }

    public var steps: Int
    public var rule: Rule
    public var baseline: Baseline
    public var batchSize: Int

    public init(steps: Int = 50, rule: Rule = .gaussLegendre, baseline: Baseline = .constant(0), batchSize: Int = 64) {
        self.steps = steps; self.rule = rule; self.baseline = baseline; self.batchSize = batchSize
    }
    public var kind: AttributionKind { .integratedGradients }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        guard steps > (rule == .gaussLegendre ? 0 : 1) else {
            throw ConfigurationError(owner: "ig", "steps must be at least \(rule == .gaussLegendre ? 1 : 2), got \(steps)")
        }
        let N = input.shape[0], per = input.count / N
        let base: Tensor
        switch baseline {
        case .constant(let v): base = Tensor(shape: input.shape, repeating: v)
        case .images(let t):
            guard t.shape == input.shape else {
                throw ShapeError(layer: "ig baseline", expected: "the input's shape \(input.shape)", actual: t.shape)
            }
            base = t
        }
        let ends = try explainer.logits(Tensor(concatenating: [input, base]))
        let chosen = try explainer.resolveTargets(targets, logits: ends.slice(0..<N))
        let (alphas, weights) = quadrature(rule, steps)
        // Row r = n·steps + s holds x'_n + α_s (x_n − x'_n).
        let total = N * steps
        var sum = Tensor(shape: input.shape)
        for start in stride(from: 0, to: total, by: batchSize) {
            let end = min(start + batchSize, total)
            var rows = [Float](); rows.reserveCapacity((end - start) * per)
            for r in start..<end {
                let (n, s) = (r / steps, r % steps)
                let a = Float(alphas[s])
                for j in 0..<per { let x0 = base.storage[n * per + j]; rows.append(x0 + a * (input.storage[n * per + j] - x0)) }
            }
            let batch = Tensor(shape: [end - start] + input.shape.dropFirst(), storage: rows)
            let (pass, _) = try explainer.gradients(batch, targets: (start..<end).map { chosen[$0 / steps] })
            for r in start..<end {
                let (n, w) = (r / steps, Float(weights[r % steps]))
                for j in 0..<per { sum.storage[n * per + j] += w * pass.inputGradient.storage[(r - start) * per + j] }
            }
        }
        var gaps = [Float](repeating: 0, count: N)
        let K = ends.shape[1]
        for n in 0..<N {
            var s: Double = 0
            for j in 0..<per {
                sum.storage[n * per + j] *= input.storage[n * per + j] - base.storage[n * per + j]
                s += Double(sum.storage[n * per + j])
            }
            let delta = Double(ends.storage[n * K + chosen[n]]) - Double(ends.storage[(N + n) * K + chosen[n]])
            gaps[n] = Float(s - delta)
        }
        return Attribution(method: kind, values: sum, targets: chosen, completenessGap: gaps, reduction: .absoluteSum)
    }
}

/// Nodes `α` in [0, 1] and weights of `rule` with `n` points (Captum's `approximation_methods`).
public func quadrature(_ rule: IntegratedGradients.Rule, _ n: Int) -> (alphas: [Double], weights: [Double]) {
    let N = Double(n)
    switch rule {
    case .gaussLegendre:
        let (x, w) = gaussLegendre(n)
        return (x.map { 0.5 * (1 + $0) }, w.map { 0.5 * $0 })
    case .riemannLeft: return ((0..<n).map { Double($0) / N }, Array(repeating: 1 / N, count: n))
    case .riemannRight: return ((1...n).map { Double($0) / N }, Array(repeating: 1 / N, count: n))
    case .riemannMiddle: return ((0..<n).map { (Double($0) + 0.5) / N }, Array(repeating: 1 / N, count: n))
    case .riemannTrapezoid:
        var w = Array(repeating: 1 / N, count: n)
        w[0] /= 2; w[n - 1] /= 2
        return ((0..<n).map { Double($0) / Double(n - 1) }, w)
    }
}

/// Gauss–Legendre nodes and weights on [−1, 1], ascending: Newton's method on `P_n` from
/// Chebyshev-like starting points (Numerical Recipes §4.6, `gauleg`).
func gaussLegendre(_ n: Int) -> (nodes: [Double], weights: [Double]) {
    var x = [Double](repeating: 0, count: n), w = x
    for i in 0..<((n + 1) / 2) {
        var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5)), dp = 0.0
        for _ in 0..<100 {
            var p1 = 1.0, p2 = 0.0
            for j in 1...n { let p3 = p2; p2 = p1; p1 = ((2 * Double(j) - 1) * z * p2 - (Double(j) - 1) * p3) / Double(j) }
            dp = Double(n) * (z * p1 - p2) / (z * z - 1)
            let z1 = z
            z = z1 - p1 / dp
            if abs(z - z1) < 1e-15 { break }
        }
        x[i] = -z; x[n - 1 - i] = z
        w[i] = 2 / ((1 - z * z) * dp * dp); w[n - 1 - i] = w[i]
    }
    return (x, w)
}
