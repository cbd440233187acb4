import Foundation
import XCTest
import Fovea

/// Checks an autograd op's Float32 backward against a Double-precision oracle.
///
/// The op runs once in Float32 on the given inputs and is fed a fixed random upstream gradient `R`
/// (uniform in [−1, 1), from `seed`), so each input's gradient is `∂L/∂x` for `L = Σ f(x)·R`. The
/// oracle computes the same `∂L/∂x` in Double at the very same (Float32-representable) inputs:
///
/// - `.finiteDifferences`: central differences of a Double re-implementation of the forward
///   (usually a reference twin instantiated with Double), step 1e-6. Their error is O(h²) + O(ε/h),
///   about 1e-9 relative for inputs and gradients of order 1 — five orders below the tolerance.
/// - `.analytic`: a Double backward (a reference twin's), itself compared with the finite differences
///   unless the case turns that off (`crossCheck: false`, for inputs too big to difference).
///
/// The Double forward is also compared with the Float32 one, so the oracle differentiates the
/// function the op computes and not a look-alike.
///
/// `Tolerance.standard` is what every op must meet (see there for why it fails a 1e-3 error).
/// Kinks (ReLU at 0, max-pooling ties) must be kept away from the inputs by more than the step.
public enum DoubleGradCheck {
    /// How close the autograd gradient must be to the oracle's, for each input tensor.
    public struct Tolerance: Sendable {
        /// Bound on the normwise relative error `‖g − r‖₂ / ‖r‖₂`.
        public var normwise: Double
        /// Bound on the elementwise error `max_i |g_i − r_i| / (|r_i| + floor·‖r‖∞)`.
        public var elementwise: Double
        /// The share of the largest reference element below which an element's error is measured
        /// against the tensor's scale instead of its own value (a sum that cancels to almost nothing
        /// carries the rounding of its terms, which are of the tensor's scale).
        public var floor: Double

        /// Normwise 1e-4, elementwise 2e-4 with a 1% floor.
        ///
        /// Over the autograd tests Float32 rounding leaves at most 4e-7 normwise and 3e-5 elementwise
        /// (the latter where sigmoid' = y·(1 − y) is taken from a rounded y near 1), margins of 250×
        /// and 7×. A gradient scaled by 1 + 1e-3 has normwise error 1e-3 (10× over); one
        /// element off by 1e-3 of the tensor's scale has elementwise error ≥ 1e-3/1.01 (5× over), and
        /// one off by 1e-3 of its own value fails whenever it is above 0.25% of the largest element.
        public static let standard = Tolerance(normwise: 1e-4, elementwise: 2e-4, floor: 1e-2)

        /// A tolerance with the given bounds.
        public init(normwise: Double, elementwise: Double, floor: Double) {
            self.normwise = normwise; self.elementwise = elementwise; self.floor = floor
        }
    }

    /// Where the Double reference gradient comes from.
    public enum Oracle {
        /// Central differences (step 1e-6) of the Double forward.
        case finiteDifferences
        /// A Double backward: given the inputs and `R`, each input's gradient.
        case analytic(([[Double]], [Double]) -> [[Double]])
    }

    /// One gradient compared with its reference.
    public struct Comparison: CustomStringConvertible {
        /// `‖g − r‖₂ / ‖r‖₂` (the absolute norm when the reference is zero).
        public var normwise: Double
        /// `max_i |g_i − r_i| / (|r_i| + floor·‖r‖∞)`.
        public var elementwise: Double
        /// The element with the largest elementwise error.
        public var worstIndex: Int
        /// The autograd gradient at `worstIndex`.
        public var actual: Double
        /// The reference gradient at `worstIndex`.
        public var expected: Double

        /// Compares `autograd` with `reference` (equal counts), measuring small elements against `floor`·‖reference‖∞.
        public init(_ autograd: [Double], _ reference: [Double], floor: Double) {
            precondition(autograd.count == reference.count, "gradient counts differ")
            var diff2 = 0.0, ref2 = 0.0, scale = 0.0
            for i in reference.indices {
                diff2 += (autograd[i] - reference[i]) * (autograd[i] - reference[i])
                ref2 += reference[i] * reference[i]
                scale = max(scale, abs(reference[i]))
            }
            normwise = ref2 > 0 ? (diff2 / ref2).squareRoot() : diff2.squareRoot()
            if normwise.isNaN { normwise = .infinity }
            elementwise = 0; worstIndex = -1; actual = 0; expected = 0
            for i in reference.indices {
                let denominator = abs(reference[i]) + floor * scale
                var e = abs(autograd[i] - reference[i])
                if denominator > 0 { e /= denominator }
                if e.isNaN { e = .infinity }
                if worstIndex < 0 || e > elementwise {
                    elementwise = e; worstIndex = i; actual = autograd[i]; expected = reference[i]
                }
            }
        }

        /// True when both errors are within `tolerance`.
        public func passes(_ tolerance: Tolerance) -> Bool {
            normwise <= tolerance.normwise && elementwise <= tolerance.elementwise
        }

        /// Both errors and the worst element, on one line.
        public var description: String {
            "normwise \(normwise), elementwise \(elementwise) (element \(worstIndex): \(actual) vs \(expected))"
        }
    }

    /// The outcome of one check.
    public struct Report: CustomStringConvertible {
        /// The case's name, for messages.
        public var name: String
        /// The Float32 forward against the Double forward, normwise.
        public var forward: Double
        /// Each input's autograd gradient against the oracle, in input order.
        public var gradients: [Comparison]
        /// The analytic oracle against finite differences, per input, when both ran.
        public var oracleAgreement: [Comparison]
        /// The tolerance the check applies.
        public var tolerance: Tolerance

        /// The largest normwise gradient error over the inputs.
        public var worstNormwise: Double { gradients.map(\.normwise).max() ?? 0 }
        /// The largest elementwise gradient error over the inputs.
        public var worstElementwise: Double { gradients.map(\.elementwise).max() ?? 0 }

        /// True when the forwards agree, the oracles agree and every gradient is within tolerance.
        public var passed: Bool {
            forward <= tolerance.normwise && gradients.allSatisfy { $0.passes(tolerance) }
                && oracleAgreement.allSatisfy { $0.passes(DoubleGradCheck.oracleTolerance) }
        }

        /// The forward error, then each comparison on its own line.
        public var description: String {
            var lines = ["\(name): forward \(forward)"]
            for (k, c) in gradients.enumerated() { lines.append("  input \(k): \(c)") }
            for (k, c) in oracleAgreement.enumerated() { lines.append("  oracle vs differences, input \(k): \(c)") }
            return lines.joined(separator: "\n")
        }
    }

    /// How closely an analytic Double oracle must match Double finite differences (both are
    /// exact to ~1e-9; a wrong oracle is off by far more).
    public static let oracleTolerance = Tolerance(normwise: 1e-6, elementwise: 1e-5, floor: 1e-2)

    /// The finite-difference step: O(h²) truncation and O(ε/h) rounding balance near 1e-5 to 1e-6.
    public static let step = 1e-6

    /// Runs `autograd` in Float32 and `reference` in Double at `inputs` and compares the gradients.
    ///
    /// - Parameters:
    ///   - name: the op's name in the report.
    ///   - inputs: the point the gradients are taken at.
    ///   - requiresGrad: which inputs are leaves with gradients (all by default); the others are
    ///     constants and are not compared.
    ///   - seed: draws the random cotangent the output is contracted with.
    ///   - oracle: where the expected gradients come from.
    ///   - crossCheck: with an analytic oracle, also compare it with finite differences.
    ///   - tolerance: how closely the Float32 gradients must match.
    ///   - autograd: the op under test, on Fovea's variables.
    ///   - reference: the same function in Double, on the inputs' flat storage.
    public static func check(_ name: String, _ inputs: [Tensor], requiresGrad: [Bool]? = nil, seed: UInt64 = 7,
                             oracle: Oracle = .finiteDifferences, crossCheck: Bool = true,
                             tolerance: Tolerance = .standard,
                             autograd: ([Variable]) throws -> Variable,
                             reference: @escaping ([[Double]]) -> [Double]) rethrows -> Report {
        let wanted = requiresGrad ?? inputs.map { _ in true }
        precondition(wanted.count == inputs.count, "requiresGrad must name every input")
        let leaves = zip(inputs, wanted).map { Variable($0, requiresGrad: $1) }
        let output = try autograd(leaves)
        var rng = RandomGenerator(seed: seed)
        let r = Tensor.uniform(output.shape, low: -1, high: 1, using: &rng)
        output.backward(seed: r)

        let x = inputs.map { $0.storage.map(Double.init) }
        let weights = r.storage.map(Double.init)
        let y = reference(x)
        let forward = Comparison(output.value.storage.map(Double.init), y, floor: tolerance.floor).normwise

        func numeric(_ k: Int) -> [Double] {
            GradCheck.numericGradient(at: x[k], weights: weights, step: step) { xk in
                var probe = x
                probe[k] = xk
                return reference(probe)
            }
        }
        var expected: [[Double]]
        var agreement: [Comparison] = []
        switch oracle {
        case .finiteDifferences:
            expected = x.indices.map { wanted[$0] ? numeric($0) : [] }
        case .analytic(let backward):
            expected = backward(x, weights)
            precondition(expected.count == x.count, "the analytic oracle must return one gradient per input")
            if crossCheck {
                for k in x.indices where wanted[k] {
                    agreement.append(Comparison(expected[k], numeric(k), floor: tolerance.floor))
                }
            }
        }
        var gradients: [Comparison] = []
        for (k, leaf) in leaves.enumerated() where wanted[k] {
            let g = (leaf.grad ?? Tensor(shape: inputs[k].shape)).storage.map(Double.init)
            gradients.append(Comparison(g, expected[k], floor: tolerance.floor))
        }
        return Report(name: name, forward: forward, gradients: gradients, oracleAgreement: agreement, tolerance: tolerance)
    }

    /// `check`, failing the test (with the report) unless it passes; returns the report.
    @discardableResult
    public static func assertGradients(_ name: String, _ inputs: [Tensor], requiresGrad: [Bool]? = nil, seed: UInt64 = 7,
                                       oracle: Oracle = .finiteDifferences, crossCheck: Bool = true,
                                       tolerance: Tolerance = .standard,
                                       file: StaticString = #filePath, line: UInt = #line,
                                       autograd: ([Variable]) throws -> Variable,
                                       reference: @escaping ([[Double]]) -> [Double]) rethrows -> Report {
        let start = DispatchTime.now().uptimeNanoseconds
        let report = try check(name, inputs, requiresGrad: requiresGrad, seed: seed, oracle: oracle, crossCheck: crossCheck,
                               tolerance: tolerance, autograd: autograd, reference: reference)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertTrue(report.passed, "gradient check failed:\n\(report)", file: file, line: line)
        // One line per case for the coverage table (the errors seen, not only pass/fail).
        if ProcessInfo.processInfo.environment["FOVEA_GRADCHECK_REPORT"] != nil {
            let oracleName: String
            switch oracle { case .finiteDifferences: oracleName = "differences"; case .analytic: oracleName = crossCheck ? "twin+differences" : "twin" }
            print("GRADCHECK | \(name) | \(oracleName) | \(report.worstNormwise) | \(report.worstElementwise) | \(report.forward) | \(seconds) s | oracle \(report.oracleAgreement.map(\.normwise).max() ?? 0) \(report.oracleAgreement.map(\.elementwise).max() ?? 0)")
        }
        return report
    }
}
