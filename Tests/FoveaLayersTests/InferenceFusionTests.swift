import XCTest
import Fovea

/// The fused inference path (conv → batch norm → activation in one step) gives exactly the
/// layer-by-layer values; a capture or gradient recording turns it off.
final class InferenceFusionTests: XCTestCase {
    /// Eval-mode outputs without gradients, fused (no capture) and layer by layer (a capture listening).
    func outputs(_ model: Module, _ x: Tensor) throws -> (fused: Tensor, unfused: Tensor) {
        model.eval()
        return try GradMode.withoutGradients {
            let fused = try model(Variable(x)).value
            let unfused = try ActivationCapture().during { try model(Variable(x)) }.value
            return (fused, unfused)
        }
    }

    /// Random running statistics and affine parameters, so the norm is not the identity.
    func randomizeNorms(_ model: Module, _ rng: inout RandomGenerator) {
        for case let bn as BatchNorm2d in model.modules() {
            let c = bn.runningMean.value.count
            bn.runningMean.value = .normal([c], std: 0.5, using: &rng)
            bn.runningVariance.value = Tensor(shape: [c], storage: (0..<c).map { _ in 0.5 + rng.nextUnitFloat() })
            bn.weight.value = .normal([c], std: 1, using: &rng)
            bn.bias.value = .normal([c], std: 1, using: &rng)
        }
    }

    func testSequentialConvNormActivation() throws {
        var rng = RandomGenerator(seed: 3)
        let net = try Sequential(Conv2d(inputChannels: 3, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), BatchNorm2d(channels: 8), ReLU6(),
                             Conv2d(inputChannels: 8, outputChannels: 4, kernelSize: 1, using: &rng), BatchNorm2d(channels: 4), MaxPool2d(kernelSize: 2))
        randomizeNorms(net, &rng)
        let (fused, unfused) = try outputs(net, .normal([2, 3, 10, 10], using: &rng))
        XCTAssertEqual(fused, unfused)
        XCTAssertTrue(unfused.storage.contains { $0 < 0 }, "the last norm has no activation: negatives survive")
    }

    func testZooModelsAgree() throws {
        var rng = RandomGenerator(seed: 4)
        for (name, width) in [("resnet18", 1.0), ("mobilenet_v2", 0.35), ("resnet20", 1.0)] {
            let model = try ModelRegistry.make(name, options: ModelOptions(classes: 10, widthMultiplier: width), using: &rng)
            randomizeNorms(model, &rng)
            let (fused, unfused) = try outputs(model, .normal([1, 3, 32, 32], using: &rng))
            XCTAssertEqual(fused, unfused, name)
        }
    }

    /// Negative control: training mode never fuses (batch statistics differ from running ones).
    func testTrainingModeIsNotFused() throws {
        var rng = RandomGenerator(seed: 5)
        let net = try Sequential(Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 3, using: &rng), BatchNorm2d(channels: 3))
        randomizeNorms(net, &rng)
        XCTAssertFalse(InferenceFusion.applies(to: net))
        net.eval()
        XCTAssertFalse(InferenceFusion.applies(to: net), "gradients are on")
        GradMode.withoutGradients { XCTAssertTrue(InferenceFusion.applies(to: net)) }
    }
}
