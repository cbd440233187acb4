import XCTest
import Fovea

/// Finite-difference gradient checks in Double, for naive reference twins.
///
/// The scalar loss is `L(x) = Σ_i f(x)_i·R_i` for a fixed random `R`, so `dL/dx` is exactly the
/// backward pass fed `gradOutput = R`. Central differences `(L(x + h) − L(x − h)) / 2h` have error
/// O(h²); with `h = 1e-6` in Double that leaves ~1e-9 of noise, far below any real gradient bug.
public enum GradCheck {
    /// The outcome of comparing an analytic gradient with a numeric one.
    public struct Report: CustomStringConvertible {
        /// Largest `|analytic − numeric| − (atol + rtol·|numeric|)`; ≤ 0 means every element passed.
        public var worstExcess: Double
        public var worstIndex: Int
        public var analytic: Double
        public var numeric: Double
        public var passed: Bool { worstExcess <= 0 }
        public var description: String {
            "worst element \(worstIndex): analytic \(analytic) vs numeric \(numeric) (excess \(worstExcess))"
        }
    }

    /// `dL/dx` for `L(x) = Σ f(x)·weights` by central differences.
    public static func numericGradient(at x: [Double], weights: [Double], step: Double = 1e-6,
                                       _ f: ([Double]) -> [Double]) -> [Double] {
        var probe = x
        func loss() -> Double {
            let y = f(probe)
            precondition(y.count == weights.count, "weights must match the output count")
            var s = 0.0
            for i in y.indices { s += y[i] * weights[i] }
            return s
        }
        var g = [Double](repeating: 0, count: x.count)
        for i in x.indices {
            probe[i] = x[i] + step
            let up = loss()
            probe[i] = x[i] - step
            let down = loss()
            probe[i] = x[i]
            g[i] = (up - down) / (2 * step)
        }
        return g
    }

    /// Compares elementwise with `|a − n| ≤ atol + rtol·|n|`.
    public static func compare(analytic: [Double], numeric: [Double], rtol: Double = 1e-5, atol: Double = 1e-7) -> Report {
        precondition(analytic.count == numeric.count, "gradient counts differ")
        var report = Report(worstExcess: -.infinity, worstIndex: -1, analytic: 0, numeric: 0)
        for i in analytic.indices {
            let excess = abs(analytic[i] - numeric[i]) - (atol + rtol * abs(numeric[i]))
            if excess > report.worstExcess || excess.isNaN {
                report = Report(worstExcess: excess.isNaN ? .infinity : excess, worstIndex: i,
                                analytic: analytic[i], numeric: numeric[i])
            }
        }
        if analytic.isEmpty { report.worstExcess = 0 }
        return report
    }

    /// Checks `analytic` against central differences of `L(x) = Σ f(x)·weights`; returns the report.
    public static func check(at x: [Double], weights: [Double], analytic: [Double], rtol: Double = 1e-5,
                             atol: Double = 1e-7, _ f: ([Double]) -> [Double]) -> Report {
        compare(analytic: analytic, numeric: numericGradient(at: x, weights: weights, f), rtol: rtol, atol: atol)
    }

    /// `check`, failing the test when any element is off.
    public static func assertGradient(at x: [Double], weights: [Double], analytic: [Double], rtol: Double = 1e-5,
                                      atol: Double = 1e-7, _ message: @autoclosure () -> String = "",
                                      file: StaticString = #filePath, line: UInt = #line,
                                      _ f: ([Double]) -> [Double]) {
        let report = check(at: x, weights: weights, analytic: analytic, rtol: rtol, atol: atol, f)
        XCTAssertTrue(report.passed, "gradient check failed: \(report). \(message())", file: file, line: line)
    }

    /// `count` uniform values in `[low, high)` from a seeded generator.
    public static func uniform(_ count: Int, _ low: Double = -1, _ high: Double = 1,
                               using rng: inout RandomGenerator) -> [Double] {
        (0..<count).map { _ in low + (high - low) * Double(rng.next() >> 11) * 0x1.0p-53 }
    }
}
