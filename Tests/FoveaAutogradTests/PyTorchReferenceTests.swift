import XCTest
import FoveaTestSupport
import Fovea
import FoveaKernels

/// Forward values and gradients against PyTorch 2.x (fixtures from tools/references/make_fixtures.py).
/// Tolerance: rtol 1e-4, atol 1e-5 — float32 results with different summation orders.
final class PyTorchReferenceTests: XCTestCase {
    let rtol = 1e-4, atol = 1e-5

    /// Runs `f` on the fixture's input (and extra leaves), back-propagates `grad_output`, and returns the leaves.
    func run(_ fx: Fixture, leaves names: [String], _ f: ([Variable]) throws -> Variable) throws -> (Variable, [Variable]) {
        let leaves = names.map { Variable(fx[$0], requiresGrad: true) }
        let y = try f(leaves)
        assertClose(y.value, fx["output"], rtol: rtol, atol: atol, "\(fx.name) output")
        y.backward(seed: fx["grad_output"])
        return (y, leaves)
    }

    func testConv2d() throws {
        for name in ["conv2d_stride1_pad1_dil1_groups1", "conv2d_stride2_pad1_dil1_groups2",
                     "conv2d_stride1_pad2_dil2_groups1_nobias", "conv2d_stride2_pad1_dil1_groups6_depthwise"] {
            let fx = try Fixture(name)
            let s = fx.ints("stride"), p = fx.ints("padding"), d = fx.ints("dilation"), g = fx.ints("groups")[0]
            let hasBias = fx.tensors["bias"] != nil
            let (_, v) = try run(fx, leaves: ["input", "weight"] + (hasBias ? ["bias"] : [])) { v in
                try conv2d(v[0], weight: v[1], bias: hasBias ? v[2] : nil, stride: (s[0], s[1]), padding: (p[0], p[1]),
                           dilation: (d[0], d[1]), groups: g)
            }
            assertClose(v[0].grad!, fx["grad_input"], rtol: rtol, atol: atol, "\(name) grad_input")
            assertClose(v[1].grad!, fx["grad_weight"], rtol: rtol, atol: atol, "\(name) grad_weight")
            if hasBias { assertClose(v[2].grad!, fx["grad_bias"], rtol: rtol, atol: atol, "\(name) grad_bias") }
        }
    }

    func testBatchNormTrainingUpdatesRunningStatisticsLikePyTorch() throws {
        let fx = try Fixture("batch_norm_train")
        var mean = fx["running_mean_before"], variance = fx["running_var_before"]
        let (_, v) = try run(fx, leaves: ["input", "weight", "bias"]) { v in
            try batchNorm2d(v[0], weight: v[1], bias: v[2], runningMean: &mean, runningVariance: &variance, training: true,
                            momentum: Float(fx.number("momentum")!), eps: Float(fx.number("eps")!))
        }
        assertClose(mean, fx["running_mean_after"], rtol: rtol, atol: atol, "running_mean")
        assertClose(variance, fx["running_var_after"], rtol: rtol, atol: atol, "running_var")
        assertClose(v[0].grad!, fx["grad_input"], rtol: rtol, atol: atol, "grad_input")
        assertClose(v[1].grad!, fx["grad_weight"], rtol: rtol, atol: atol, "grad_weight")
        assertClose(v[2].grad!, fx["grad_bias"], rtol: rtol, atol: atol, "grad_bias")
    }

    func testBatchNormEval() throws {
        let fx = try Fixture("batch_norm_eval")
        var mean = fx["running_mean"], variance = fx["running_var"]
        let (_, v) = try run(fx, leaves: ["input", "weight", "bias"]) { v in
            try batchNorm2d(v[0], weight: v[1], bias: v[2], runningMean: &mean, runningVariance: &variance, training: false)
        }
        assertClose(mean, fx["running_mean"], "eval must not touch running stats")
        assertClose(v[0].grad!, fx["grad_input"], rtol: rtol, atol: atol, "grad_input")
        assertClose(v[1].grad!, fx["grad_weight"], rtol: rtol, atol: atol, "grad_weight")
        assertClose(v[2].grad!, fx["grad_bias"], rtol: rtol, atol: atol, "grad_bias")
    }

    func testPooling() throws {
        for name in ["max_pool2d_k3_s2_p1", "max_pool2d_k2_s2_p0", "avg_pool2d_k3_s2_p1_include_pad", "avg_pool2d_k3_s2_p1_exclude_pad"] {
            let fx = try Fixture(name)
            let k = fx.ints("kernel_size"), s = fx.ints("stride"), p = fx.ints("padding")
            let pair = { (a: [Int]) in a.count == 1 ? (a[0], a[0]) : (a[0], a[1]) }
            let (_, v) = try run(fx, leaves: ["input"]) { v in
                name.hasPrefix("max")
                    ? try maxPool2d(v[0], kernel: pair(k), stride: pair(s), padding: pair(p))
                    : try avgPool2d(v[0], kernel: pair(k), stride: pair(s), padding: pair(p),
                                    countIncludePad: fx.attributes["count_include_pad"] as? Bool ?? true)
            }
            assertClose(v[0].grad!, fx["grad_input"], rtol: rtol, atol: atol, "\(name) grad_input")
        }
        let fx = try Fixture("adaptive_avg_pool2d_7x5_to_3x2")
        let o = fx.ints("output_size")
        let (_, v) = try run(fx, leaves: ["input"]) { try adaptiveAvgPool2d($0[0], outputSize: (o[0], o[1])) }
        assertClose(v[0].grad!, fx["grad_input"], rtol: rtol, atol: atol, "adaptive grad_input")
    }

    func testActivations() throws {
        for kind in [ActivationKind.gelu, .silu, .hardswish, .hardsigmoid, .relu6, .sigmoid, .tanh] {
            let fx = try Fixture(kind.rawValue)
            let (_, v) = try run(fx, leaves: ["input"]) { activation($0[0], kind) }
            assertClose(v[0].grad!, fx["grad_input"], rtol: rtol, atol: atol, "\(kind) grad_input")
        }
    }

    func testLayerNorm2d() throws {
        let fx = try Fixture("layer_norm2d")
        let (_, v) = try run(fx, leaves: ["input", "weight", "bias"]) { v in
            try layerNorm2d(v[0], weight: v[1], bias: v[2], eps: Float(fx.number("eps")!))
        }
        assertClose(v[0].grad!, fx["grad_input"], rtol: rtol, atol: atol, "grad_input")
        assertClose(v[1].grad!, fx["grad_weight"], rtol: rtol, atol: atol, "grad_weight")
        assertClose(v[2].grad!, fx["grad_bias"], rtol: rtol, atol: atol, "grad_bias")
    }
}
