import XCTest
import Fovea

/// `ModelSummary`: multiply-accumulates as torchvision publishes them, receptive fields worked out
/// by hand, and activation memory bookkeeping.
final class ModelSummaryTests: XCTestCase {
    static func summary(_ name: String, input: [Int] = [1, 3, 224, 224]) throws -> ModelSummary {
        var rng = RandomGenerator(seed: 0)
        let model = try ModelRegistry.make(name, classes: 1000, inputChannels: input[1], using: &rng)
        return try ModelSummary(model: model, input: input)
    }

    /// torchvision's published "GFLOPS" (which are multiply-accumulates) at 224x224, to the digits
    /// it publishes (torchvision/models/*.py, `_ops` in each weights' meta).
    func testMultiplyAccumulatesMatchTorchvision() throws {
        let published: [(String, Double, Double)] = [  // name, GMACs, half a unit in the last published digit
            ("resnet18", 1.814, 0.0005), ("resnet50", 4.089, 0.0005), ("mobilenet_v2", 0.301, 0.0005),
            ("mobilenet_v3_small", 0.057, 0.0005), ("mobilenet_v3_large", 0.217, 0.0005),
            ("vgg16", 15.47, 0.005), ("convnext_tiny", 4.456, 0.0005),
        ]
        for (name, gmacs, tolerance) in published {
            let s = try Self.summary(name)
            let ours = Double(s.multiplyAccumulates) / 1e9
            XCTAssertEqual(ours, gmacs, accuracy: tolerance, "\(name): \(ours) GMACs")
            XCTAssertEqual(s.layers.reduce(0) { $0 + $1.parameters }, s.parameters, "\(name): rows must sum to the parameter count")
        }
    }

    /// Two 3x3 convolutions (stride 1) then a 2x2 max pool: fields 3, 5, 6 and jumps 1, 1, 2;
    /// a dilated and a strided conv follow: 6 + (2·(3−1))·2 = 14, then 14 + 2·2 = 18 with jump 4.
    func testReceptiveFieldOfASmallNet() throws {
        var rng = RandomGenerator(seed: 1)
        let net = Sequential(
            try Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, using: &rng), ReLU(),
            try Conv2d(inputChannels: 4, outputChannels: 4, kernelSize: 3, padding: 1, using: &rng),
            try MaxPool2d(kernelSize: 2),
            try Conv2d(inputChannels: 4, outputChannels: 4, kernelSize: 3, padding: 2, dilation: 2, using: &rng),
            try Conv2d(inputChannels: 4, outputChannels: 2, kernelSize: 3, stride: 2, padding: 1, using: &rng))
        let s = try ModelSummary(model: net, input: [1, 1, 16, 16])
        XCTAssertEqual(s.layers.map(\.path), ["0", "1", "2", "3", "4", "5"])
        XCTAssertEqual(s.layers.map(\.receptiveField.height), [3, 3, 5, 6, 14, 18])
        XCTAssertEqual(s.layers.map(\.jump.width), [1, 1, 1, 2, 2, 4])
        XCTAssertEqual(s.layers.map(\.outputShape), [[1, 4, 16, 16], [1, 4, 16, 16], [1, 4, 16, 16], [1, 4, 8, 8], [1, 4, 8, 8], [1, 2, 4, 4]])
        XCTAssertEqual(s.layers[0].multiplyAccumulates, 16 * 16 * 4 * 9)
        XCTAssertEqual(s.layers[5].multiplyAccumulates, 4 * 4 * 2 * 4 * 9)
        XCTAssertEqual(s.parameters, 4 * 10 + 4 * 37 + 4 * 37 + 2 * 37)
    }

    /// ResNet-18 by hand: stem 7 (jump 2), max pool 11 (4), layer1 +4·8 = 43, layer2 → 99 (8),
    /// layer3 → 211 (16), layer4 → 435 (32). The projection shortcut sees the block's input (211),
    /// the block's output keeps the larger field, and global pooling covers the 7x7 map.
    func testReceptiveFieldOfResNet18() throws {
        let s = try Self.summary("resnet18")
        func row(_ path: String, call: Int = 0) -> LayerSummary? { s.layers.filter { $0.path == path }.dropFirst(call).first }
        XCTAssertEqual(row("maxpool")?.receptiveField.height, 11)
        XCTAssertEqual(row("layer1.1.bn2")?.receptiveField.height, 43)
        XCTAssertEqual(row("layer3.1.conv2")?.receptiveField.height, 211)
        XCTAssertEqual(row("layer4.0.conv1")?.receptiveField.height, 243)
        XCTAssertEqual(row("layer4.0.conv1")?.jump.height, 32)
        XCTAssertEqual(row("layer4.0.downsample.0")?.receptiveField.height, 211)
        XCTAssertEqual(row("layer4.0.downsample.0")?.jump.height, 32)
        XCTAssertEqual(row("layer4.0.relu", call: 1)?.receptiveField.height, 307)
        XCTAssertEqual(row("layer4.1.relu", call: 1)?.receptiveField.height, 435)
        XCTAssertEqual(row("layer4.1.relu", call: 1)?.jump.height, 32)
        XCTAssertEqual(row("avgpool")?.receptiveField.height, 435 + 6 * 32)
        XCTAssertEqual(row("fc")?.outputShape, [1, 1000])
        XCTAssertEqual(s.parameters, 11_689_512)
        // Memory: the largest activations are the stem's 64x112x112 outputs.
        XCTAssertEqual(s.activationSizes.first, 64 * 112 * 112 * 4)
        XCTAssertGreaterThanOrEqual(s.peakActivationBytes, 2 * 64 * 112 * 112 * 4)
        XCTAssertLessThan(s.peakActivationBytes, s.totalActivationBytes)
        let table = s.table()
        XCTAssertTrue(table.hasPrefix("layer"))
        XCTAssertTrue(table.contains("multiply-accumulates: 1.814G"), table)
    }
}
