import XCTest
import FoveaTestSupport
import Fovea
import FoveaKernels

/// Every autograd op's backward against central finite differences (Float32, eps 1e-2).
final class GradCheckTests: XCTestCase {
    var rng = RandomGenerator(seed: 42)
    func random(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) -> Tensor { .uniform(shape, low: low, high: high, using: &rng) }
    let tolerance = 2e-2

    func check(_ name: String, _ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line, _ f: ([Variable]) throws -> Variable) throws {
        let err = try autogradMaxError(inputs, f)
        XCTAssertLessThan(err, tolerance, "\(name): gradient error \(err)", file: file, line: line)
    }

    func testNegativeControlFails() throws {
        // An op whose backward is wrong by a factor of 2 must be caught.
        let err = try autogradMaxError([random([3, 4])]) { v in
            let x = v[0]
            return Variable(x.value, op: "wrong", parents: [x]) { g in x.accumulate(Tensor(shape: g.shape, storage: g.storage.map { 2 * $0 })) }
        }
        XCTAssertGreaterThan(err, 0.5, "the checker must fail on a wrong backward")
    }

    func testArithmeticWithBroadcasting() throws {
        try check("add", [random([2, 3, 4, 4]), random([2, 3, 4, 4])]) { try $0[0] + $0[1] }
        try check("add channel bias", [random([2, 3, 4, 4]), random([1, 3, 1, 1])]) { try $0[0] + $0[1] }
        try check("sub", [random([2, 3]), random([3])]) { try $0[0] - $0[1] }
        try check("mul SE scale", [random([2, 3, 4, 4]), random([2, 3, 1, 1])]) { try $0[0] * $0[1] }
        try check("mul layer scale", [random([3, 1, 1]), random([2, 3, 2, 2])]) { try $0[0] * $0[1] }
        try check("sub small first", [random([1, 3, 1, 1]), random([2, 3, 2, 2])]) { try $0[0] - $0[1] }
        try check("scalar broadcast", [random([2, 3]), random([1])]) { try $0[0] * $0[1] }
        try check("both broadcast", [random([2, 1, 3]), random([1, 4, 1])]) { try $0[0] * $0[1] - $0[1] }
        try check("scale", [random([5])]) { 3 * $0[0] }
        try check("sum", [random([2, 3])]) { sum($0[0]) }
        try check("mean", [random([2, 3])]) { mean($0[0]) }
    }

    func testShapeOps() throws {
        try check("reshape", [random([2, 6])]) { try reshape($0[0], [3, -1]) }
        try check("flatten", [random([2, 3, 2, 2])]) { try flatten($0[0]) }
        try check("concat channels", [random([2, 3, 2, 2]), random([2, 1, 2, 2])]) { try concat([$0[0], $0[1]]) }
        try check("concat last", [random([2, 3]), random([2, 2])]) { try concat([$0[0], $0[1]], dim: 1) }
    }

    func testLinearAndConv() throws {
        try check("linear", [random([3, 5]), random([4, 5]), random([4])]) { try linear($0[0], weight: $0[1], bias: $0[2]) }
        try check("conv 3x3 pad 1", [random([2, 3, 5, 5]), random([4, 3, 3, 3]), random([4])]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], padding: (1, 1))
        }
        try check("conv stride 2 dilation 2 groups 2", [random([1, 4, 9, 8]), random([6, 2, 3, 3])]) {
            try conv2d($0[0], weight: $0[1], bias: nil, stride: (2, 2), padding: (2, 1), dilation: (2, 2), groups: 2)
        }
        try check("depthwise conv", [random([2, 4, 6, 6]), random([4, 1, 3, 3]), random([4])]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], stride: (2, 2), padding: (1, 1), groups: 4)
        }
    }

    func testPooling() throws {
        // Distinct values keep max-pooling's argmax stable under ±eps.
        var distinct = Tensor(shape: [2, 2, 6, 6])
        for i in 0..<distinct.count { distinct.storage[i] = Float((i * 37) % 144) * 0.05 }
        try check("max pool", [distinct]) { try maxPool2d($0[0], kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        try check("avg pool", [random([2, 2, 7, 7])]) { try avgPool2d($0[0], kernel: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePad: false) }
        try check("adaptive avg pool", [random([2, 2, 7, 5])]) { try adaptiveAvgPool2d($0[0], outputSize: (3, 2)) }
    }

    func testActivationsAwayFromKinks() throws {
        // Values in (0.1, 2.5) ∪ (-2.5, -0.1) avoid the kinks at 0, ±3 and 6.
        var x = random([4, 8], 0.1, 2.5)
        for i in stride(from: 0, to: x.count, by: 2) { x.storage[i] = -x.storage[i] }
        for kind in ActivationKind.allCases {
            try check(kind.rawValue, [x]) { activation($0[0], kind) }
        }
    }

    func testSoftmaxAndLosses() throws {
        try check("softmax", [random([3, 5])]) { try softmax($0[0]) }
        try check("log softmax", [random([3, 5])]) { try logSoftmax($0[0]) }
        try check("cross entropy", [random([4, 5])]) { try crossEntropy($0[0], targets: [0, 4, 2, 2], labelSmoothing: 0.1) }
        let target = random([3, 2])
        try check("mse", [random([3, 2])]) { try mseLoss($0[0], target: target) }
    }

    func testNormalization() throws {
        let c = 3
        try check("batch norm train", [random([4, c, 3, 3]), random([c]), random([c])]) { v in
            var mean = Tensor(shape: [c]), variance = Tensor(shape: [c], repeating: 1)
            return try batchNorm2d(v[0], weight: v[1], bias: v[2], runningMean: &mean, runningVariance: &variance, training: true)
        }
        try check("batch norm eval", [random([2, c, 3, 3]), random([c]), random([c])]) { v in
            var mean = Tensor(shape: [c], repeating: 0.1), variance = Tensor(shape: [c], repeating: 0.5)
            return try batchNorm2d(v[0], weight: v[1], bias: v[2], runningMean: &mean, runningVariance: &variance, training: false)
        }
        try check("layer norm 2d", [random([2, 5, 3, 2]), random([5]), random([5])]) { v in
            try layerNorm2d(v[0], weight: v[1], bias: v[2])
        }
    }
}
