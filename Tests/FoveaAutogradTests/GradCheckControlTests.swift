import XCTest
import FoveaTestSupport
import Fovea
import FoveaKernels

/// Negative controls: `DoubleGradCheck` must fail a backward that is off by 1e-3, whether in every
/// element or in one, on real ops. Each control runs the op unchanged apart from the gradient that
/// reaches its first input, which passes through `tampered` on the way.
final class GradCheckControlTests: XCTestCase {
    var rng = RandomGenerator(seed: 44)
    func random(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) -> Tensor { .uniform(shape, low: low, high: high, using: &rng) }

    /// The identity whose backward hands `change(gradient)` to `x`: a wrong backward on demand.
    func tampered(_ x: Variable, _ change: @escaping ([Float]) -> [Float]) -> Variable {
        Variable(x.value, op: "tampered", parents: [x]) { g in x.accumulate(Tensor(shape: g.shape, storage: change(g.storage))) }
    }

    /// The corruptions: each must fail, while the untouched backward passes.
    var corruptions: [(String, ([Float]) -> [Float])] {
        let index = Int(rng.next() % 1_000_000)
        return [
            ("scaled by 1 + 1e-3", { $0.map { $0 * (1 + 1e-3) } }),
            ("largest element scaled by 1 + 1e-3", { g in
                var g = g
                let i = g.indices.max { abs(g[$0]) < abs(g[$1]) }!
                g[i] *= 1 + 1e-3
                return g
            }),
            ("one element off by 1e-3 of the largest", { g in
                var g = g
                g[index % g.count] += 1e-3 * g.map(abs).max()!
                return g
            }),
            ("factor 2", { $0.map { 2 * $0 } }),
        ]
    }

    /// Runs `check` untouched (must pass) and with each corruption on input 0 (must fail).
    func assertControls(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                        _ check: (_ tamper: @escaping (Variable) -> Variable) throws -> DoubleGradCheck.Report) throws {
        let clean = try check { $0 }
        XCTAssertTrue(clean.passed, "\(name): the untouched backward must pass:\n\(clean)", file: file, line: line)
        if ProcessInfo.processInfo.environment["FOVEA_GRADCHECK_REPORT"] != nil {
            print("CONTROL | \(name) | untouched | \(clean.worstNormwise) | \(clean.worstElementwise)")
        }
        for (label, change) in corruptions {
            let report = try check { self.tampered($0, change) }
            XCTAssertFalse(report.passed, "\(name): a backward \(label) must fail:\n\(report)", file: file, line: line)
            if ProcessInfo.processInfo.environment["FOVEA_GRADCHECK_REPORT"] != nil {
                print("CONTROL | \(name) | \(label) | \(report.worstNormwise) | \(report.worstElementwise)")
            }
            XCTAssertLessThanOrEqual(report.forward, 1e-6, "\(name): tampering must leave the forward alone", file: file, line: line)
        }
    }

    func testConvolution() throws {
        let g = Conv2dGeometry(batch: 2, inChannels: 3, inHeight: 6, inWidth: 6, outChannels: 4, kernelHeight: 3, kernelWidth: 3,
                               strideH: 1, strideW: 1, padH: 1, padW: 1, dilationH: 1, dilationW: 1, groups: 1)
        let inputs = [random([2, 3, 6, 6]), random([4, 3, 3, 3]), random([4])]
        try assertControls("conv2d") { tamper in
            try DoubleGradCheck.check("conv2d", inputs, oracle: .analytic({ v, r in
                let d = Conv2dReference.backward(g, input: v[0], weight: v[1], gradOutput: r)
                return [d.input, d.weight, d.bias]
            }), crossCheck: false, autograd: { try conv2d(tamper($0[0]), weight: $0[1], bias: $0[2], padding: (1, 1)) }) {
                Conv2dReference.forward(g, input: $0[0], weight: $0[1], bias: $0[2])
            }
        }
    }

    func testBatchNormTraining() throws {
        let eps = Double(Float(1e-5))
        let inputs = [random([4, 3, 2, 2], -2, 2), random([3], 0.5, 1.5), random([3])]
        try assertControls("batch norm train") { tamper in
            try DoubleGradCheck.check("batch norm train", inputs, oracle: .analytic({ v, r in
                let d = BatchNormReference<Double>.backwardTraining(batch: 4, channels: 3, spatial: 4, v[0], gradOutput: r, weight: v[1], eps: eps)
                return [d.gradInput, d.gradWeight, d.gradBias]
            }), crossCheck: false, autograd: { v in
                var mean = Tensor(shape: [3]), variance = Tensor(shape: [3], repeating: 1)
                return try batchNorm2d(tamper(v[0]), weight: v[1], bias: v[2], runningMean: &mean, runningVariance: &variance, training: true)
            }) { BatchNormReference<Double>.forwardTraining(batch: 4, channels: 3, spatial: 4, $0[0], weight: $0[1], bias: $0[2], eps: eps).output }
        }
    }

    func testLinearWithFiniteDifferences() throws {
        let inputs = [random([3, 5]), random([4, 5]), random([4])]
        try assertControls("linear") { tamper in
            try DoubleGradCheck.check("linear", inputs, autograd: { try linear(tamper($0[0]), weight: $0[1], bias: $0[2]) }) {
                DoubleForwards.linear($0[0], $0[1], $0[2], n: 3, inF: 5, outF: 4)
            }
        }
    }

    func testSoftmax() throws {
        let inputs = [random([3, 6], -3, 3)]
        try assertControls("softmax") { tamper in
            try DoubleGradCheck.check("softmax", inputs, autograd: { try softmax(tamper($0[0])) }) {
                SoftmaxReference<Double>.forward(rows: 3, cols: 6, $0[0])
            }
        }
    }

    func testMaxPool() throws {
        let g = Pool2dGeometry(batch: 1, channels: 2, inHeight: 6, inWidth: 6, kernelHeight: 2, kernelWidth: 2,
                               strideH: 2, strideW: 2, padH: 0, padW: 0)
        let inputs = [Tensor(shape: [1, 2, 6, 6], storage: (0..<72).map { Float(($0 * 29) % 72) * 0.02 })]
        try assertControls("max pool") { tamper in
            try DoubleGradCheck.check("max pool", inputs, autograd: { try maxPool2d(tamper($0[0]), kernel: (2, 2), stride: (2, 2)) }) {
                PoolingReference<Double>.maxForward(g, $0[0]).output
            }
        }
    }

    func testWrongAnalyticOracleFailsTheCrossCheck() throws {
        // An oracle off by 1e-3 must be caught by the finite differences, even with a correct op.
        let x = random([4, 6], -2, 2)
        for scale in [1.0, 1 + 1e-3] {
            let report = DoubleGradCheck.check("sigmoid, oracle × \(scale)", [x], oracle: .analytic({ v, r in
                [ActivationReference<Double>.backward(.sigmoid, v[0], gradOutput: r).map { $0 * scale }]
            }), autograd: { activation($0[0], .sigmoid) }) { ActivationReference<Double>.forward(.sigmoid, $0[0]) }
            XCTAssertEqual(report.oracleAgreement.allSatisfy { $0.passes(DoubleGradCheck.oracleTolerance) }, scale == 1, "\(report)")
            XCTAssertEqual(report.passed, scale == 1, "\(report)")
        }
    }

    func testWrongForwardFails() throws {
        // A Double forward that is not the op's function (here off by 1e-3) must fail the check
        // even where its gradient would match.
        let x = random([3, 4])
        let report = DoubleGradCheck.check("scale", [x], autograd: { 2 * $0[0] }) { $0[0].map { 2 * $0 + 1e-3 } }
        XCTAssertFalse(report.passed, "\(report)")
        XCTAssertLessThan(report.worstNormwise, 1e-6, "only the forward differs: \(report)")
    }
}
