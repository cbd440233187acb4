import XCTest
import FoveaTestSupport
import Fovea
import FoveaKernels

/// The elementwise, shape and loss ops' backwards against finite differences of Double
/// re-implementations (`DoubleForwards`), at `DoubleGradCheck.Tolerance.standard`.
final class DoubleGradCheckTests: XCTestCase {
    var rng = RandomGenerator(seed: 42)
    func random(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) -> Tensor { .uniform(shape, low: low, high: high, using: &rng) }

    /// `a ∘ b` with broadcasting against the index-by-index Double definition.
    /// Also with either operand a constant, which each path skips.
    func checkBroadcast(_ name: String, _ sa: [Int], _ sb: [Int], _ op: (Variable, Variable) throws -> Variable,
                        _ f: @escaping (Double, Double) -> Double, file: StaticString = #filePath, line: UInt = #line) throws {
        for wanted in [[true, true], [true, false], [false, true]] {
            try DoubleGradCheck.assertGradients("\(name) requiresGrad \(wanted)", [random(sa), random(sb)], requiresGrad: wanted,
                                                file: file, line: line, autograd: { try op($0[0], $0[1]) }) {
                DoubleForwards.broadcast($0[0], sa, $0[1], sb, f)
            }
        }
    }

    func testArithmeticWithBroadcasting() throws {
        // Same shape, the planned paths (operand broadcast along a run of dimensions, either side)
        // and the general index-mapped path.
        for (sa, sb) in [([2, 3, 4, 4], [2, 3, 4, 4]), ([2, 3, 4, 4], [1, 3, 1, 1]), ([1, 3, 1, 1], [2, 3, 4, 4]),
                         ([2, 3, 4, 4], [2, 3, 1, 1]), ([3, 1, 1], [2, 3, 2, 2]), ([2, 3], [3]), ([2, 3], [1]), ([1], [2, 3]),
                         ([2, 1, 3], [1, 4, 1]), ([3, 1, 5], [2, 3, 4, 5]), ([2, 3, 4, 5], [2, 1, 4, 1])] {
            try checkBroadcast("add \(sa) \(sb)", sa, sb, { try $0 + $1 }, +)
            try checkBroadcast("sub \(sa) \(sb)", sa, sb, { try $0 - $1 }, -)
            try checkBroadcast("mul \(sa) \(sb)", sa, sb, { try $0 * $1 }, *)
        }
    }

    func testFanOutAccumulates() throws {
        // One variable used twice: both paths' gradients must be summed.
        try DoubleGradCheck.assertGradients("x * x", [random([3, 5])], autograd: { try $0[0] * $0[0] }) { $0[0].map { $0 * $0 } }
        try DoubleGradCheck.assertGradients("x * x - x", [random([3, 5])], autograd: { try $0[0] * $0[0] - $0[0] }) {
            $0[0].map { $0 * $0 - $0 }
        }
        try DoubleGradCheck.assertGradients("concat [x, x]", [random([2, 3])], autograd: { try concat([$0[0], $0[0]], dim: 0) }) {
            $0[0] + $0[0]
        }
    }

    func testScaleAndReductions() throws {
        try DoubleGradCheck.assertGradients("scale", [random([5, 3])], autograd: { 3.5 * $0[0] }) { $0[0].map { 3.5 * $0 } }
        try DoubleGradCheck.assertGradients("sum", [random([2, 3, 4])], autograd: { sum($0[0]) }) { [$0[0].reduce(0, +)] }
        try DoubleGradCheck.assertGradients("mean", [random([2, 3, 4])], autograd: { mean($0[0]) }) {
            [$0[0].reduce(0, +) / Double($0[0].count)]
        }
    }

    func testShapeOps() throws {
        try DoubleGradCheck.assertGradients("reshape", [random([2, 6])], autograd: { try reshape($0[0], [3, -1]) }) { $0[0] }
        try DoubleGradCheck.assertGradients("flatten", [random([2, 3, 2, 2])], autograd: { try flatten($0[0]) }) { $0[0] }
        for dim in 0..<3 {
            var a = [2, 3, 4], b = [2, 3, 4], c = [2, 3, 4]
            b[dim] = 1; c[dim] = 2
            try DoubleGradCheck.assertGradients("concat dim \(dim)", [random(a), random(b), random(c)],
                                                autograd: { try concat($0, dim: dim) }) {
                DoubleForwards.concat($0, shapes: [a, b, c], dim: dim)
            }
            // An input without a gradient is skipped, the others still get theirs.
            a[dim] = 3
            try DoubleGradCheck.assertGradients("concat dim \(dim) with a constant", [random(a), random(b)], requiresGrad: [true, false],
                                                autograd: { try concat($0, dim: dim) }) {
                DoubleForwards.concat($0, shapes: [a, b], dim: dim)
            }
        }
    }

    func testCrossEntropyWithLabelSmoothing() throws {
        let targets = [0, 4, 2, 2]
        for smoothing: Float in [0, 0.1] {
            try DoubleGradCheck.assertGradients("cross entropy ε=\(smoothing)", [random([4, 5], -2, 2)],
                                                autograd: { try crossEntropy($0[0], targets: targets, labelSmoothing: smoothing) }) {
                [DoubleForwards.crossEntropy($0[0], targets: targets, classes: 5, epsilon: Double(smoothing))]
            }
        }
    }

    func testMSE() throws {
        let target = random([3, 4])
        let t = target.storage.map(Double.init)
        try DoubleGradCheck.assertGradients("mse", [random([3, 4])], autograd: { try mseLoss($0[0], target: target) }) { x in
            [zip(x[0], t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(t.count)]
        }
    }

    func testDropoutWithAFixedMask() throws {
        // The mask a seed draws, read off by dropping out a tensor of ones with the same seed.
        func mask(_ shape: [Int], seed: UInt64, _ drop: (Variable, inout RandomGenerator) throws -> Variable) throws -> [Double] {
            var maskRNG = RandomGenerator(seed: seed)
            return try drop(Variable(Tensor(shape: shape, repeating: 1)), &maskRNG).value.storage.map(Double.init)
        }
        let shape = [4, 3, 2, 2]
        let dropped = try mask(shape, seed: 5) { try dropout($0, p: 0.3, training: true, using: &$1) }
        XCTAssertTrue(dropped.contains(0) && dropped.contains { $0 > 1 }, "the mask should both drop and keep")
        try DoubleGradCheck.assertGradients("dropout", [random(shape)], autograd: { v in
            var r = RandomGenerator(seed: 5)
            return try dropout(v[0], p: 0.3, training: true, using: &r)
        }) { zip($0[0], dropped).map(*) }

        // The first seed whose draw both drops and keeps samples (4 samples at p = 0.5).
        func depthMask(_ seed: UInt64) throws -> [Double] {
            try mask(shape, seed: seed) { try stochasticDepth($0, p: 0.5, training: true, using: &$1) }
        }
        let seed = try XCTUnwrap((1...64 as ClosedRange<UInt64>).first { try depthMask($0).contains(0) && depthMask($0).contains { $0 > 1 } })
        let depth = try depthMask(seed)
        try DoubleGradCheck.assertGradients("stochastic depth", [random(shape)], autograd: { v in
            var r = RandomGenerator(seed: seed)
            return try stochasticDepth(v[0], p: 0.5, training: true, using: &r)
        }) { zip($0[0], depth).map(*) }
    }
}
