import Foundation
import XCTest
import Fovea
import FoveaTestSupport

/// Weights written by PyTorch load by name; bad files and bad inputs are reported clearly.
final class ModelLoadingTests: XCTestCase {
    let checkpoint = modelFixturesDirectory.appendingPathComponent("resnet20_cifar10.safetensors")

    func resnet20() throws -> Module {
        var rng = RandomGenerator(seed: 3)
        return try ModelRegistry.make("resnet20", options: ModelOptions(classes: 10), using: &rng)
    }

    /// A CIFAR ResNet-20 state dict saved from PyTorch (safetensors) gives PyTorch's logits.
    func testLoadsPyTorchSafetensors() throws {
        let model = try resnet20()
        try model.load(from: checkpoint)
        model.eval()
        let fixture = try modelFixture("resnet20_cifar10")
        let logits = try GradMode.withoutGradients { try model(Variable(deterministicInput(fixture.ints("input_shape")))) }
        XCTAssertLessThanOrEqual(relativeError(logits.value, fixture["logits"]), 1e-4)
        XCTAssertEqual(model.stateDict().first { $0.name == "bn1.num_batches_tracked" }?.tensor.storage, [7])
    }

    /// Missing, unexpected and mis-shaped tensors are all named, and nothing is loaded.
    func testMismatchedCheckpointListsEveryProblem() throws {
        var (tensors, _) = try Safetensors.read(checkpoint)
        tensors["layer2.0.conv1.weight"] = nil
        tensors["layer9.0.conv1.weight"] = Tensor(shape: [1], repeating: 0)
        tensors["fc.weight"] = Tensor(shape: [1000, 64], repeating: 0)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-zoo-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Safetensors.write(tensors, to: url)
        let model = try resnet20()
        let before = model.stateDict().map(\.tensor)
        XCTAssertThrowsError(try model.load(from: url)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("missing: layer2.0.conv1.weight"), message)
            XCTAssertTrue(message.contains("unexpected: layer9.0.conv1.weight"), message)
            XCTAssertTrue(message.contains("fc.weight: expected [10, 64], got [1000, 64]"), message)
        }
        XCTAssertEqual(model.stateDict().map(\.tensor), before)
    }

    /// Too-small inputs and wrong channel counts are rejected at the model's entry, by name.
    func testInputChecksNameTheModel() throws {
        var rng = RandomGenerator(seed: 1)
        let cases: [(name: String, shape: [Int], expected: String)] = [
            ("resnet18", [1, 3, 16, 16], "resnet18: expected input of at least 32x32 (5 stride-2 stages), got [1, 3, 16, 16]"),
            ("resnet18", [1, 1, 64, 64], "resnet18: expected input (N, 3, H, W), got [1, 1, 64, 64]"),
            ("resnet20", [1, 3, 2, 2], "resnet20: expected input of at least 4x4 (2 stride-2 stages), got [1, 3, 2, 2]"),
            ("vgg_cifar", [1, 3, 8, 8], "vgg_cifar: expected input of at least 16x16 (4 2x2 max pools), got [1, 3, 8, 8]"),
            ("mobilenet_v3_small", [2, 3, 31, 40], "mobilenet_v3_small: expected input of at least 32x32 (5 stride-2 stages), got [2, 3, 31, 40]"),
            ("convnext_cifar", [1, 3, 4, 4], "convnext_cifar: expected input of at least 8x8 (a 2x2 stem and 2 2x2 downsamplings), got [1, 3, 4, 4]"),
        ]
        for c in cases {
            let model = try ModelRegistry.make(c.name, options: ModelOptions(classes: 10), using: &rng)
            XCTAssertThrowsError(try model(Variable(Tensor(shape: c.shape)))) { error in
                XCTAssertEqual(String(describing: error), c.expected)
            }
        }
        // Inside a model, the layer that finds a bad shape names itself by its state-dict path.
        let resnet = try XCTUnwrap(ModelRegistry.make("resnet18", options: ModelOptions(), using: &rng) as? ResNet)
        XCTAssertThrowsError(try resnet.stages[1](Variable(Tensor(shape: [1, 10, 8, 8])))) { error in
            XCTAssertEqual((error as? ShapeError)?.layer, "layer2.0.conv1")
        }
        // The smallest accepted inputs run through.
        let small = try ModelRegistry.make("convnext_cifar", options: ModelOptions(classes: 10), using: &rng)
        XCTAssertEqual(try GradMode.withoutGradients { try small(Variable(Tensor(shape: [1, 3, 8, 8]))) }.shape, [1, 10])
    }

    /// Grayscale inputs and class counts reach the first and last layers; unsupported settings are refused.
    func testRegistryOptions() throws {
        var rng = RandomGenerator(seed: 2)
        let gray = try ModelRegistry.make("resnet20", options: ModelOptions(classes: 10, inputChannels: 1), using: &rng)
        let x = Variable(deterministicInput([2, 1, 28, 28]))
        XCTAssertEqual(try gray(x).shape, [2, 10])
        XCTAssertThrowsError(try ModelRegistry.make("resnet18", options: ModelOptions(widthMultiplier: 0.5), using: &rng))
        XCTAssertThrowsError(try ModelRegistry.make("resnet18", options: ModelOptions(batchNorm: true), using: &rng))
        XCTAssertThrowsError(try ModelRegistry.make("resnet19", classes: 10, inputChannels: 3, using: &rng)) { error in
            XCTAssertTrue(String(describing: error).contains("known: lenet5"))
        }
        let plain = try ModelRegistry.make("vgg_cifar", options: ModelOptions(classes: 10, batchNorm: false), using: &rng)
        XCTAssertFalse(plain.stateDict().contains { $0.name.hasSuffix("running_mean") })
        let half = try ModelRegistry.make("vgg_cifar", options: ModelOptions(classes: 10, widthMultiplier: 0.5), using: &rng)
        XCTAssertEqual(half.stateDict().first { $0.name == "features.0.weight" }?.tensor.shape, [32, 3, 3, 3])
    }

    /// Training mode runs forward and backward through the zoo's custom pieces (option-A shortcuts,
    /// squeeze-excitation, layer scale, channel linears) and reaches every parameter.
    func testGradientsReachEveryParameter() throws {
        var rng = RandomGenerator(seed: 4)
        for name in ["resnet20", "mobilenet_v3_small", "convnext_cifar"] {
            let model = try ModelRegistry.make(name, options: ModelOptions(classes: 10), using: &rng)
            let logits = try model(Variable(deterministicInput([2, 3, 32, 32])))
            try sum(logits * logits).backward()
            let missing = model.namedParameters().filter { $0.variable.grad == nil }.map(\.name)
            XCTAssertEqual(missing, [], name)
        }
    }
}
