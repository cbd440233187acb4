import XCTest
import Fovea

/// The rule in docs/design.md: invalid hyperparameters throw `ConfigurationError` at construction,
/// naming the layer and the offending value, so a built model fails only on its input.
final class HyperparameterValidationTests: XCTestCase {
    /// Asserts that `make` throws a `ConfigurationError` owned by `layer` whose message shows `value`.
    private func assertRejects(_ layer: String, _ value: String, file: StaticString = #filePath, line: UInt = #line,
                               _ make: () throws -> Module) {
        XCTAssertThrowsError(try make(), file: file, line: line) { error in
            guard let error = error as? ConfigurationError else {
                return XCTFail("expected a ConfigurationError, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.owner, layer, file: file, line: line)
            XCTAssertTrue(error.message.contains(value), "\(error) does not show \(value)", file: file, line: line)
        }
    }

    func testPoolingRejectsInvalidWindows() {
        assertRejects("MaxPool2d", "0") { try MaxPool2d(kernelSize: 0) }
        assertRejects("MaxPool2d", "-1") { try MaxPool2d(kernelSize: 2, stride: -1) }
        assertRejects("MaxPool2d", "got 2") { try MaxPool2d(kernelSize: 3, padding: 2) }
        assertRejects("MaxPool2d", "got -1") { try MaxPool2d(kernelSize: 3, padding: -1) }
        assertRejects("AvgPool2d", "0") { try AvgPool2d(kernelSize: 0) }
        assertRejects("AvgPool2d", "got 0") { try AvgPool2d(kernelSize: 2, stride: 0) }
        assertRejects("AvgPool2d", "got 3") { try AvgPool2d(kernelSize: 4, padding: 3) }
        assertRejects("AdaptiveAvgPool2d", "(0, 1)") { try AdaptiveAvgPool2d((0, 1)) }
        assertRejects("AdaptiveAvgPool2d", "(2, -3)") { try AdaptiveAvgPool2d((2, -3)) }
    }

    func testPoolingAcceptsTheLimits() throws {
        // Padding of exactly half the kernel is PyTorch's limit, and allowed.
        XCTAssertEqual(try MaxPool2d(kernelSize: 3, stride: 2, padding: 1).padding, 1)
        XCTAssertEqual(try AvgPool2d(kernelSize: 2, padding: 1).stride, 2)
        XCTAssertEqual(AdaptiveAvgPool2d().outputSize.0, 1)
    }

    func testRandomLayersRejectInvalidProbabilities() {
        var rng = RandomGenerator(seed: 0)
        assertRejects("Dropout", "1.5") { try Dropout(p: 1.5, using: &rng) }
        assertRejects("Dropout", "-0.1") { try Dropout(p: -0.1, using: &rng) }
        assertRejects("Dropout", "1.0") { try Dropout(p: 1, using: &rng) }
        assertRejects("StochasticDepth", "1.5") { try StochasticDepth(p: 1.5, using: &rng) }
        assertRejects("StochasticDepth", "nan") { try StochasticDepth(p: .nan, using: &rng) }
    }

    func testWeightedLayersRejectInvalidSizes() {
        var rng = RandomGenerator(seed: 0)
        assertRejects("Conv2d", "in 0") { try Conv2d(inputChannels: 0, outputChannels: 4, kernelSize: 3, using: &rng) }
        assertRejects("Conv2d", "kernel 0") { try Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 0, using: &rng) }
        assertRejects("Conv2d", "dilation 0") { try Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, dilation: 0, using: &rng) }
        assertRejects("Conv2d", "got -1") { try Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: -1, using: &rng) }
        assertRejects("Conv2d", "groups 2") { try Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, groups: 2, using: &rng) }
        assertRejects("Linear", "-2") { try Linear(inputFeatures: -2, outputFeatures: 3, using: &rng) }
        assertRejects("ChannelLinear", "0") { try ChannelLinear(inputFeatures: 4, outputFeatures: 0, using: &rng) }
    }

    func testNormalizationRejectsInvalidSettings() {
        assertRejects("BatchNorm2d", "got 0") { try BatchNorm2d(channels: 0) }
        assertRejects("BatchNorm2d", "got 0.0") { try BatchNorm2d(channels: 4, eps: 0) }
        assertRejects("BatchNorm2d", "got 1.5") { try BatchNorm2d(channels: 4, momentum: 1.5) }
        assertRejects("LayerNorm2d", "got -3") { try LayerNorm2d(channels: -3) }
        assertRejects("LayerNorm2d", "got -1.0") { try LayerNorm2d(channels: 4, eps: -1) }
    }
}
