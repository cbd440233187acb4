import Foundation
import XCTest
import Fovea
import FoveaTestSupport

/// Forward parity with PyTorch: each model, filled with the deterministic weights of
/// make_model_fixtures.py and run in eval mode on the deterministic input, gives torchvision's
/// logits to a relative error of 1e-4 (of the largest |logit|).
final class ModelParityTests: XCTestCase {
    func checkParity(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try modelFixture(name)
        let model = try buildModel(for: fixture)
        try applyDeterministicFill(model)
        model.eval()
        let probes = fixture.attributes["mean_abs"] as? [String: NSNumber] ?? [:]
        let capture = ActivationCapture(Set(probes.keys))
        let logits = try GradMode.withoutGradients {
            try capture.during { try model(Variable(deterministicInput(fixture.ints("input_shape")))) }
        }
        let error = relativeError(logits.value, fixture["logits"])
        print("parity \(name): max relative error \(String(format: "%.2e", error))")
        XCTAssertEqual(logits.shape, fixture["logits"].shape, file: file, line: line)
        XCTAssertLessThanOrEqual(error, 1e-4, "\(name): logits differ from PyTorch's", file: file, line: line)
        // Where the activations first drift, for diagnosis.
        for (layer, expected) in probes.sorted(by: { $0.key < $1.key }) {
            guard let output = capture[layer] else { XCTFail("\(name): layer \(layer) did not run", file: file, line: line); continue }
            let meanAbs = output.value.storage.reduce(0) { $0 + abs(Double($1)) } / Double(output.value.count)
            XCTAssertEqual(meanAbs, expected.doubleValue, accuracy: 1e-3 * abs(expected.doubleValue),
                           "\(name): mean |\(layer)|", file: file, line: line)
        }
    }

    func testResNet18() throws { try checkParity("resnet18") }
    func testResNet50() throws { try checkParity("resnet50") }
    func testPlain18() throws { try checkParity("plain18") }
    func testResNet20() throws { try checkParity("resnet20") }
    func testPlain20() throws { try checkParity("plain20") }
    func testVGG11BN() throws { try checkParity("vgg11_bn") }
    func testVGGCIFAR() throws { try checkParity("vgg_cifar") }
    func testMobileNetV1() throws { try checkParity("mobilenet_v1") }
    func testMobileNetV2() throws { try checkParity("mobilenet_v2") }
    func testMobileNetV3Small() throws { try checkParity("mobilenet_v3_small") }
    func testMobileNetV3Large() throws { try checkParity("mobilenet_v3_large") }
    func testConvNeXtTiny() throws { try checkParity("convnext_tiny") }
    func testConvNeXtCIFAR() throws { try checkParity("convnext_cifar") }
}
