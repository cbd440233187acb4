import XCTest
import FoveaTestSupport
import Fovea

/// Three optimizer steps on fixed gradients against torch.optim, and schedules against torch's schedulers.
final class OptimizerTests: XCTestCase {
    func runSteps(_ name: String, _ make: ([NamedParameter], Fixture) throws -> Optimizer) throws {
        let fx = try Fixture(name)
        let p = Variable(fx["param_before"], requiresGrad: true)
        let optimizer = try make([NamedParameter(name: "w", variable: p)], fx)
        for i in 0..<3 {
            p.grad = fx["grad_\(i)"]
            optimizer.step()
            assertClose(p.value, fx["param_after_\(i)"], rtol: 1e-5, atol: 1e-6, "\(name) step \(i)")
        }
    }

    func testSGD() throws {
        for name in ["sgd_step_nesterov", "sgd_step_momentum"] {
            try runSteps(name) { params, fx in
                try SGD(params, learningRate: Float(fx.number("lr")!), momentum: Float(fx.number("momentum")!),
                        dampening: Float(fx.number("dampening")!), weightDecay: Float(fx.number("weight_decay")!),
                        nesterov: fx.attributes["nesterov"] as? Bool ?? false)
            }
        }
    }

    func testAdamAndAdamW() throws {
        for name in ["adam_step", "adamw_step"] {
            try runSteps(name) { params, fx in
                let betas = (fx.attributes["betas"] as! [NSNumber]).map(\.floatValue)
                return try Adam(params, learningRate: Float(fx.number("lr")!), beta1: betas[0], beta2: betas[1],
                                eps: Float(fx.number("eps")!), weightDecay: Float(fx.number("weight_decay")!),
                                decoupledWeightDecay: name == "adamw_step")
            }
        }
    }

    func testOptimizerStateRoundTrips() throws {
        let fx = try Fixture("adamw_step")
        let p = Variable(fx["param_before"], requiresGrad: true)
        let a = try Adam.adamW([NamedParameter(name: "w", variable: p)], learningRate: 0.01, weightDecay: 0.05)
        p.grad = fx["grad_0"]; a.step()
        let q = Variable(p.value, requiresGrad: true)
        let b = try Adam.adamW([NamedParameter(name: "w", variable: q)], learningRate: 0.01, weightDecay: 0.05)
        try b.loadState(a.state)
        p.grad = fx["grad_1"]; q.grad = fx["grad_1"]
        a.step(); b.step()
        XCTAssertEqual(p.value, q.value, "a restored optimizer continues identically")
    }

    func testInvalidHyperparametersThrow() {
        let p = Variable(Tensor(shape: [1]), requiresGrad: true)
        XCTAssertThrowsError(try SGD([NamedParameter(name: "w", variable: p)], learningRate: -1))
        XCTAssertThrowsError(try SGD([NamedParameter(name: "w", variable: p)], learningRate: 0.1, nesterov: true))
        XCTAssertThrowsError(try Adam([NamedParameter(name: "w", variable: p)], beta1: 1.5))
    }

    func testSchedulesMatchTorch() throws {
        let fx = try Fixture("lr_schedule")
        let n = 30
        let step = StepSchedule(baseLearningRate: 0.1, stepSize: 7, gamma: 0.5)
        let cycle = OneCycleSchedule(maxLearningRate: 0.1, totalSteps: n)
        let warm = WarmupCosineSchedule(baseLearningRate: 0.1, warmupSteps: 5, totalSteps: n)
        assertClose((0..<n).map { step.learningRate(at: $0) }, fx["lr_step"].storage, rtol: 1e-6, atol: 1e-9, "step")
        assertClose((0..<n).map { cycle.learningRate(at: $0) }, fx["lr_onecycle"].storage, rtol: 1e-5, atol: 1e-9, "one-cycle")
        assertClose((0..<n).map { cycle.momentum(at: $0)! }, fx["momentum_onecycle"].storage, rtol: 1e-6, atol: 1e-9, "one-cycle momentum")
        assertClose((0..<n).map { warm.learningRate(at: $0) }, fx["lr_warmup_cosine"].storage, rtol: 1e-5, atol: 1e-9, "warm-up cosine")
    }

    func testLossesMatchTorch() throws {
        for name in ["cross_entropy_ls0", "cross_entropy_ls0p1"] {
            let fx = try Fixture(name)
            let logits = Variable(fx["input"], requiresGrad: true)
            let loss = try crossEntropy(logits, targets: fx["target"].storage.map { Int($0) },
                                        labelSmoothing: Float(fx.number("label_smoothing")!))
            assertClose(loss.value.storage, fx["loss"].storage, rtol: 1e-5, atol: 1e-6, name)
            loss.backward()
            assertClose(logits.grad!, fx["grad_input"], rtol: 1e-4, atol: 1e-6, name + " grad")
        }
        let fx = try Fixture("mse_loss")
        let x = Variable(fx["input"], requiresGrad: true)
        let loss = try mseLoss(x, target: fx["target"])
        assertClose(loss.value.storage, fx["loss"].storage, rtol: 1e-5, atol: 1e-6, "mse")
        loss.backward()
        assertClose(x.grad!, fx["grad_input"], rtol: 1e-4, atol: 1e-6, "mse grad")
    }
}
