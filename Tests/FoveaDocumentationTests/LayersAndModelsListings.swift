import Foundation
import XCTest
import Fovea

/// A small model written as `Fovea.docc/LayersAndModels.md` shows: register children in `init`,
/// compose them in `forward`.
final class TinyNet: Module {
    let conv: Conv2d
    let bn: BatchNorm2d
    let fc: Linear

    init(classes: Int, using rng: inout RandomGenerator) throws {
        conv = try Conv2d(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: 1, bias: false, using: &rng)
        bn = try BatchNorm2d(channels: 8)
        fc = try Linear(inputFeatures: 8, outputFeatures: classes, using: &rng)
        super.init()
        registerModule("conv", conv)
        registerModule("bn", bn)
        registerModule("fc", fc)
    }

    override func forward(_ x: Variable) throws -> Variable {
        let features = try relu(bn(conv(x)))
        return try fc(flatten(adaptiveAvgPool2d(features, outputSize: (1, 1))))
    }
}

/// The listings of `Fovea.docc/LayersAndModels.md`.
final class LayersAndModelsListings: XCTestCase {
    func testCustomModule() throws {
        var rng = RandomGenerator(seed: 0)
        let net = try TinyNet(classes: 3, using: &rng)
        print(net.stateDict().names)
        // ["conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
        //  "bn.num_batches_tracked", "fc.weight", "fc.bias"]
        let logits = try net(Variable(Tensor.normal([2, 1, 8, 8], using: &rng)))
        print(logits.shape)   // [2, 3]

        XCTAssertEqual(net.stateDict().names, ["conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                                               "bn.num_batches_tracked", "fc.weight", "fc.bias"])
        XCTAssertEqual(logits.shape, [2, 3])
    }

    func testErrors() throws {
        var rng = RandomGenerator(seed: 0)
        do {
            _ = try MaxPool2d(kernelSize: 0)
        } catch {
            print(error)      // MaxPool2d: kernel size must be positive, got 0
        }
        let model = try Sequential(Conv2d(inputChannels: 3, outputChannels: 8, kernelSize: 3, using: &rng), ReLU())
        do {
            _ = try model(Variable(Tensor(shape: [1, 1, 8, 8])))
        } catch {
            print(error)      // names the layer "0", the expected and the actual shape
        }

        XCTAssertThrowsError(try MaxPool2d(kernelSize: 0)) { XCTAssertEqual("\($0)", "MaxPool2d: kernel size must be positive, got 0") }
        XCTAssertThrowsError(try model(Variable(Tensor(shape: [1, 1, 8, 8])))) { XCTAssertTrue("\($0)".contains("0"), "\($0)") }
    }

    func testModelZooAndSummary() throws {
        var rng = RandomGenerator(seed: 0)
        print(ModelRegistry.names)        // ["lenet5", "fashion-cnn", "vgg11", …]
        let resnet = try ModelRegistry.make("resnet20", classes: 10, inputChannels: 3, using: &rng)
        let summary = try ModelSummary(model: resnet, input: [1, 3, 32, 32])
        print(summary.table())            // layers, output shapes, parameters, MACs, receptive fields
        print(summary.parameters)         // 269722 (option-A shortcuts add no parameters)

        XCTAssertEqual(summary.parameters, 269_722)
        XCTAssertEqual(Array(ModelRegistry.names.prefix(3)), ["lenet5", "fashion-cnn", "vgg11"])
    }

    func testSavingAndLoading() throws {
        try enterListingFolder(images: 1)
        var rng = RandomGenerator(seed: 0)
        let model = try LeNet5(classes: 10, using: &rng)
        try model.save(to: URL(fileURLWithPath: "lenet5.safetensors"))

        var other = RandomGenerator(seed: 1)
        let copy = try LeNet5(classes: 10, using: &other)
        try copy.load(from: URL(fileURLWithPath: "lenet5.safetensors"))
        print(copy.stateDict() == model.stateDict())   // true

        let state = try Safetensors.read(URL(fileURLWithPath: "lenet5.safetensors")).tensors
        print(state["features.0.weight"]!.shape)       // [6, 1, 5, 5]

        XCTAssertEqual(copy.stateDict(), model.stateDict())
        XCTAssertEqual(state["features.0.weight"]?.shape, [6, 1, 5, 5])
    }
}
