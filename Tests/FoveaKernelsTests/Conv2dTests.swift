import XCTest
import FoveaTestSupport
import FoveaKernels
import FoveaTensor

/// Conv2d's fast kernels against the naive twin, and the twin's gradients against finite differences.
final class Conv2dTests: XCTestCase {
    /// Geometries covering stride, padding, dilation, groups, depthwise, 1x1, odd sizes and batch 1 / 3.
    static let geometries: [Conv2dGeometry] = [
        Conv2dGeometry(batch: 3, inChannels: 5, inHeight: 9, inWidth: 11, outChannels: 7, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1),
        Conv2dGeometry(batch: 1, inChannels: 6, inHeight: 13, inWidth: 10, outChannels: 9, kernelHeight: 3, kernelWidth: 3, strideH: 2, strideW: 2, padH: 1, padW: 1),
        Conv2dGeometry(batch: 3, inChannels: 4, inHeight: 12, inWidth: 12, outChannels: 8, kernelHeight: 3, kernelWidth: 3, padH: 2, padW: 2, dilationH: 2, dilationW: 2),
        Conv2dGeometry(batch: 2, inChannels: 8, inHeight: 7, inWidth: 9, outChannels: 6, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1, groups: 2),
        Conv2dGeometry(batch: 3, inChannels: 8, inHeight: 9, inWidth: 7, outChannels: 12, kernelHeight: 3, kernelWidth: 1, strideH: 2, strideW: 1, padH: 1, padW: 0, groups: 4),
        Conv2dGeometry(batch: 3, inChannels: 6, inHeight: 11, inWidth: 9, outChannels: 6, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1, groups: 6),
        Conv2dGeometry(batch: 1, inChannels: 4, inHeight: 15, inWidth: 15, outChannels: 4, kernelHeight: 7, kernelWidth: 7, strideH: 2, strideW: 2, padH: 3, padW: 3, groups: 4),
        Conv2dGeometry(batch: 3, inChannels: 19, inHeight: 7, inWidth: 5, outChannels: 13, kernelHeight: 1, kernelWidth: 1),
        Conv2dGeometry(batch: 1, inChannels: 8, inHeight: 9, inWidth: 9, outChannels: 16, kernelHeight: 1, kernelWidth: 1, strideH: 2, strideW: 2),
        Conv2dGeometry(batch: 3, inChannels: 3, inHeight: 17, inWidth: 13, outChannels: 10, kernelHeight: 5, kernelWidth: 4, strideH: 3, strideW: 2, padH: 2, padW: 1),
        Conv2dGeometry(batch: 2, inChannels: 32, inHeight: 14, inWidth: 14, outChannels: 40, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1),
        // LeNet-5's two convolutions (few channels: the direct stride-1 kernels), 5 images over 2 threads.
        Conv2dGeometry(batch: 5, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 6, kernelHeight: 5, kernelWidth: 5, padH: 2, padW: 2),
        Conv2dGeometry(batch: 5, inChannels: 6, inHeight: 14, inWidth: 14, outChannels: 16, kernelHeight: 5, kernelWidth: 5),
        // Every row-tile size of the direct forward (8, 4, 2, 1: 15 channels), a ragged 4x4 gradient block.
        Conv2dGeometry(batch: 2, inChannels: 3, inHeight: 21, inWidth: 37, outChannels: 15, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1),
        // Batch 1, stride 1: threads split the direct product's row tiles (10 channels per group: 8 + 2).
        Conv2dGeometry(batch: 1, inChannels: 6, inHeight: 10, inWidth: 9, outChannels: 20, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1, groups: 2),
        Conv2dGeometry(batch: 1, inChannels: 5, inHeight: 12, inWidth: 12, outChannels: 24, kernelHeight: 3, kernelWidth: 3, padH: 2, padW: 2, dilationH: 2, dilationW: 2),
        // Rows of one vector, three to a tile: 13 rows end in a one-row tile.
        Conv2dGeometry(batch: 2, inChannels: 8, inHeight: 13, inWidth: 16, outChannels: 9, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1),
        // A 7x7 map: 61 product columns, a last column tile one vector wide.
        Conv2dGeometry(batch: 3, inChannels: 9, inHeight: 7, inWidth: 7, outChannels: 11, kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1),
    ]

    private func random(_ count: Int, _ rng: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1...1, using: &rng) }
    }

    func testFastMatchesReference() {
        var rng = RandomGenerator(seed: 10)
        for g in Self.geometries {
            XCTAssertTrue(g.isValid, "\(g)")
            let x = random(g.inputCount, &rng), w = random(g.weightCount, &rng), b = random(g.outChannels, &rng)
            let dy = random(g.outputCount, &rng)
            let k = Double(g.inChannelsPerGroup * g.kernelHeight * g.kernelWidth)

            var y = [Float](repeating: .nan, count: g.outputCount)
            Conv2d.forward(g, input: x, weight: w, bias: b, output: &y)
            assertClose(y, Conv2dReference.forward(g, input: x, weight: w, bias: b), rtol: 1e-4, atol: 1e-5 * k, "forward \(g)")
            var yNoBias = [Float](repeating: .nan, count: g.outputCount)
            Conv2d.forward(g, input: x, weight: w, bias: nil, output: &yNoBias)
            assertClose(yNoBias, Conv2dReference.forward(g, input: x, weight: w, bias: nil), rtol: 1e-4, atol: 1e-5 * k, "forward no bias \(g)")

            let expected = Conv2dReference.backward(g, input: x, weight: w, gradOutput: dy)
            var dx = [Float](repeating: .nan, count: g.inputCount)
            Conv2d.backwardInput(g, gradOutput: dy, weight: w, gradInput: &dx)
            assertClose(dx, expected.input, rtol: 1e-4, atol: 1e-4 * Double(g.outChannels), "backwardInput \(g)")
            var dw = [Float](repeating: .nan, count: g.weightCount), db = [Float](repeating: .nan, count: g.outChannels)
            Conv2d.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dw, gradBias: &db)
            let reductions = Double(g.batch * g.outHeight * g.outWidth)
            assertClose(dw, expected.weight, rtol: 1e-4, atol: 1e-5 * reductions, "backwardWeight \(g)")
            assertClose(db, expected.bias, rtol: 1e-4, atol: 1e-5 * reductions, "backwardBias \(g)")
            var dwOnly = [Float](repeating: .nan, count: g.weightCount)
            Conv2d.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dwOnly, gradBias: nil)
            XCTAssertEqual(dwOnly, dw, "gradBias nil changes gradWeight \(g)")
        }
    }

    func testDeterministic() {
        var rng = RandomGenerator(seed: 11)
        let g = Self.geometries[10]
        let x = random(g.inputCount, &rng), w = random(g.weightCount, &rng), dy = random(g.outputCount, &rng)
        var dw1 = [Float](repeating: 0, count: g.weightCount), dw2 = dw1
        Conv2d.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dw1, gradBias: nil)
        Conv2d.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dw2, gradBias: nil)
        XCTAssertEqual(dw1, dw2)
    }

    /// Max relative error between `Conv2dReference.backward` under `analytic` geometry and central
    /// differences of `L = Σ forward(x, w, b)·R` under `numeric` geometry (equal unless testing a fault).
    private func gradientCheckError(analytic: Conv2dGeometry, numeric: Conv2dGeometry, seed: UInt64,
                                    perturbWeightGradient: Double = 0) -> Double {
        var rng = RandomGenerator(seed: seed)
        let g = numeric
        let x = (0..<g.inputCount).map { _ in Double.random(in: -1...1, using: &rng) }
        let w = (0..<g.weightCount).map { _ in Double.random(in: -1...1, using: &rng) }
        let b = (0..<g.outChannels).map { _ in Double.random(in: -1...1, using: &rng) }
        let r = (0..<g.outputCount).map { _ in Double.random(in: -1...1, using: &rng) }
        func loss(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double {
            zip(Conv2dReference.forward(g, input: x, weight: w, bias: b), r).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var grads = Conv2dReference.backward(analytic, input: x, weight: w, gradOutput: r)
        grads.weight[0] += perturbWeightGradient
        let numX = numericalGradient(of: { loss($0, w, b) }, at: x)
        let numW = numericalGradient(of: { loss(x, $0, b) }, at: w)
        let numB = numericalGradient(of: { loss(x, w, $0) }, at: b)
        return max(maxRelativeError(grads.input, numX), maxRelativeError(grads.weight, numW),
                   maxRelativeError(grads.bias, numB))
    }

    func testReferenceBackwardMatchesFiniteDifferences() {
        let cases = [
            Conv2dGeometry(batch: 2, inChannels: 4, inHeight: 6, inWidth: 5, outChannels: 4, kernelHeight: 3, kernelWidth: 2,
                           strideH: 2, strideW: 1, padH: 1, padW: 1, dilationH: 1, dilationW: 2, groups: 2),
            Conv2dGeometry(batch: 1, inChannels: 3, inHeight: 5, inWidth: 5, outChannels: 3, kernelHeight: 3, kernelWidth: 3,
                           padH: 1, padW: 1, groups: 3),
        ]
        for (i, g) in cases.enumerated() {
            let error = gradientCheckError(analytic: g, numeric: g, seed: 20 + UInt64(i))
            XCTAssertLessThan(error, 1e-6, "finite-difference check \(g)")
        }
    }

    /// Negative controls: the same check must fail when the gradient is wrong — a gradient computed
    /// for the wrong stride and padding (same buffer sizes, shifted taps), and one perturbed element.
    func testFiniteDifferenceCheckCatchesWrongGradient() {
        let g = Conv2dGeometry(batch: 1, inChannels: 2, inHeight: 5, inWidth: 5, outChannels: 3, kernelHeight: 3, kernelWidth: 3,
                               strideH: 2, strideW: 2, padH: 1, padW: 1)
        var wrong = g
        wrong.strideH = 1; wrong.strideW = 1; wrong.padH = 0; wrong.padW = 0
        XCTAssertEqual(wrong.outputCount, g.outputCount)
        XCTAssertGreaterThan(gradientCheckError(analytic: wrong, numeric: g, seed: 30), 1e-2)
        XCTAssertGreaterThan(gradientCheckError(analytic: g, numeric: g, seed: 31, perturbWeightGradient: 1e-4), 1e-5)
        XCTAssertLessThan(gradientCheckError(analytic: g, numeric: g, seed: 31), 1e-6)
    }
}
