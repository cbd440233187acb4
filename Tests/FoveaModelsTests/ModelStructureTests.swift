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

    /// Builds each model of `family` (two at a time: construction is dominated by drawing the
    /// initial weights) and compares its parameter count and state-dict keys with the fixture.
    func checkStructure(_ family: String) throws {
        let names = Self.families[family]!
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: names.count) { i in failures.add(Self.structureProblems(names[i])) }
        for failure in failures.items.sorted() { XCTFail(failure) }
    }

    static func structureProblems(_ name: String) -> [String] {
        do {
            let fixture = try modelFixture(name)
            let model = try buildModel(for: fixture)
            var problems: [String] = []
            let count = fixture.ints("parameter_count").first ?? -1
            if model.parameterCount != count { problems.append("\(name): \(model.parameterCount) parameters, torchvision has \(count)") }
            let expected = (fixture.attributes["keys"] as? [[Any]] ?? []).map { entry in
                "\(entry[0]) \((entry[1] as? [NSNumber] ?? []).map(\.intValue))"
            }
            let actual = model.stateDict().map { "\($0.name) \($0.tensor.shape)" }
            if actual.count != expected.count { problems.append("\(name): \(actual.count) state-dict entries, torchvision has \(expected.count)") }
            if let (a, e) = zip(actual, expected).first(where: { $0 != $1 }) {
                problems.append("\(name): first differing key: \(a) vs torchvision's \(e)")
            }
            return problems
        } catch {
            return ["\(name): \(error)"]
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

/// Failure messages collected from concurrent workers.
final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    func add(_ messages: [String]) { lock.lock(); collected += messages; lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return collected }
}
