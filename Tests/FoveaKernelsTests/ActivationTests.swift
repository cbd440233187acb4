import XCTest
import FoveaKernels
import FoveaTensor
import FoveaTestSupport

final class ActivationTests: XCTestCase {
    /// Inputs kept 0.05 away from the kinks (0, ±3, 6) so central differences see a smooth function.
    func smoothSamples(_ count: Int, _ rng: inout RandomGenerator) -> [Double] {
        var xs = [Double]()
        while xs.count < count {
            let v = GradCheck.uniform(1, -8, 8, using: &rng)[0]
            if [-3.0, 0, 3, 6].allSatisfy({ abs(v - $0) > 0.05 }) { xs.append(v) }
        }
        return xs
    }

    func testFastMatchesReference() {
        var rng = RandomGenerator(seed: 1)
        for count in [1, 7, 8, 33, 70_001] {
            let x = GradCheck.uniform(count, -8, 8, using: &rng).floats
            let g = GradCheck.uniform(count, -1, 1, using: &rng).floats
            for kind in ActivationKind.allCases {
                let y = Buffers.make(count) { out in Buffers.read(x) { Activations.forward(kind, input: $0, output: out, count: count) } }
                assertClose(y, ActivationReference<Float>.forward(kind, x), rtol: 2e-6, atol: 1e-6, "\(kind) forward")
                let dx = Buffers.make(count) { out in
                    Buffers.read(x) { xp in Buffers.read(y) { yp in Buffers.read(g) { gp in
                        Activations.backward(kind, input: xp, output: yp, gradOutput: gp, gradInput: out, count: count)
                    } } }
                }
                let expected = ActivationReference<Double>.backward(kind, x.doubles, gradOutput: g.doubles).floats
                assertClose(dx, expected, rtol: 1e-5, atol: 1e-6, "\(kind) backward")
            }
        }
    }

    func testReferenceGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 2)
        let x = smoothSamples(64, &rng), r = GradCheck.uniform(64, using: &rng)
        for kind in ActivationKind.allCases {
            GradCheck.assertGradient(at: x, weights: r, analytic: ActivationReference<Double>.backward(kind, x, gradOutput: r),
                                     "\(kind)") { ActivationReference<Double>.forward(kind, $0) }
        }
    }

    func testGradientCheckCatchesAWrongDerivative() {
        var rng = RandomGenerator(seed: 3)
        let x = smoothSamples(32, &rng), r = GradCheck.uniform(32, using: &rng)
        // GELU's derivative without the x·φ(x) term: the Φ(x) of its tanh-free "approximation".
        let wrong = zip(x, r).map { 0.5 * (1 + erf($0 / 2.0.squareRoot())) * $1 }
        let report = GradCheck.check(at: x, weights: r, analytic: wrong) { ActivationReference<Double>.forward(.gelu, $0) }
        XCTAssertFalse(report.passed, "the checker must reject a wrong gradient")
    }

    /// PyTorch's conventions at the kinks, checked on the fast kernel directly.
    func testBoundaryConventions() {
        let x: [Float] = [-3, 0, 3, 6, -3.5, 7]
        let one = [Float](repeating: 1, count: x.count)
        func grad(_ kind: ActivationKind) -> [Float] {
            let y = Buffers.make(x.count) { out in Buffers.read(x) { Activations.forward(kind, input: $0, output: out, count: x.count) } }
            return Buffers.make(x.count) { out in Buffers.read(x) { xp in Buffers.read(y) { yp in Buffers.read(one) {
                Activations.backward(kind, input: xp, output: yp, gradOutput: $0, gradInput: out, count: x.count)
            } } } }
        }
        XCTAssertEqual(grad(.relu), [0, 0, 1, 1, 0, 1])
        XCTAssertEqual(grad(.relu6), [0, 0, 1, 0, 0, 0])
        XCTAssertEqual(grad(.hardsigmoid), [0, 1.0 / 6, 0, 0, 0, 0])
        XCTAssertEqual(grad(.hardswish), [-0.5, 0.5, 1.5, 1, 0, 1])
    }

    func testNaNPropagates() {
        let x: [Float] = [.nan]
        for kind in ActivationKind.allCases {
            let y = Buffers.make(1) { out in Buffers.read(x) { Activations.forward(kind, input: $0, output: out, count: 1) } }
            XCTAssertTrue(y[0].isNaN, "\(kind)(NaN) should be NaN")
        }
    }
}
