import Foundation
import XCTest
import Fovea
import FoveaTestSupport

/// Every zoo model has exactly torchvision's (or its PyTorch twin's) parameter count and state-dict
/// keys with shapes, in order.
final class ModelStructureTests: XCTestCase {
    /// Fixture names by family (width-multiplier variants carry a `_w` suffix).
    static let families: [String: [String]] = [
        "vgg": ["vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn", "vgg_cifar"],
        "resnet": ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "plain18", "plain34"],
        "cifar": ["resnet20", "resnet32", "resnet44", "resnet56", "resnet110", "plain20", "plain32", "plain44", "plain56", "plain110"],
        "mobilenet": ["mobilenet_v1", "mobilenet_v1_w0.5", "mobilenet_v2", "mobilenet_v2_w0.5", "mobilenet_v2_w1.4",
                      "mobilenet_v3_small", "mobilenet_v3_large", "mobilenet_v3_large_w0.75"],
        "convnext": ["convnext_tiny", "convnext_small", "convnext_base", "convnext_large", "convnext_cifar"],
    ]

    func checkStructure(_ family: String) throws {
        for name in Self.families[family]! {
            let fixture = try modelFixture(name)
            let model = try buildModel(for: fixture)
            XCTAssertEqual(model.parameterCount, fixture.ints("parameter_count").first, "\(name): parameter count")
            let expected = (fixture.attributes["keys"] as? [[Any]] ?? []).map { entry in
                "\(entry[0]) \((entry[1] as? [NSNumber] ?? []).map(\.intValue))"
            }
            let actual = model.stateDict().map { "\($0.name) \($0.tensor.shape)" }
            XCTAssertEqual(actual.count, expected.count, "\(name): number of state-dict entries")
            for (a, e) in zip(actual, expected) where a != e {
                XCTFail("\(name): first differing key: \(a) vs torchvision's \(e)")
                break
            }
        }
    }

    func testVGG() throws { try checkStructure("vgg") }
    func testImageNetResNets() throws { try checkStructure("resnet") }
    func testCIFARResNets() throws { try checkStructure("cifar") }
    func testMobileNets() throws { try checkStructure("mobilenet") }
    func testConvNeXts() throws { try checkStructure("convnext") }

    /// The headline counts of the brief, stated literally.
    func testHeadlineParameterCounts() throws {
        let counts = ["resnet18": 11_689_512, "resnet50": 25_557_032, "mobilenet_v2": 3_504_872,
                      "mobilenet_v3_small": 2_542_856, "mobilenet_v3_large": 5_483_032, "convnext_tiny": 28_589_128]
        for (name, count) in counts {
            XCTAssertEqual(try modelFixture(name).ints("parameter_count").first, count, name)
        }
        XCTAssertEqual(try modelFixture("vgg16").ints("parameter_count").first, 138_357_544)
        XCTAssertEqual(try modelFixture("vgg16_bn").ints("parameter_count").first, 138_365_992)
    }

    /// Every registered zoo model has a fixture, and every fixture a registered model.
    func testRegistryAndFixturesAgree() throws {
        let fixtures = Set(Self.families.values.joined().map { $0.components(separatedBy: "_w")[0] })
        let registered = Set(ModelRegistry.names).subtracting(["lenet5", "fashion-cnn"])
        XCTAssertEqual(registered, fixtures)
    }
}
