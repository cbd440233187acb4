import Foundation
import XCTest
import Fovea
import FoveaTestSupport

// Helpers for the zoo's reference fixtures (Tests/Fixtures/models, written by
// tools/references/make_model_fixtures.py).

/// `Tests/Fixtures/models`, found from this file's location.
let modelFixturesDirectory: URL = {
    var url = URL(fileURLWithPath: "\(#filePath)")
    while url.pathComponents.count > 1 {
        url.deleteLastPathComponent()
        let candidate = url.appendingPathComponent("Tests/Fixtures/models")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
    }
    return URL(fileURLWithPath: "Tests/Fixtures/models")
}()

/// The fixture of `name` (a registry name, or one with a width suffix such as `mobilenet_v2_w0.5`).
func modelFixture(_ name: String) throws -> Fixture { try Fixture("models/" + name) }

/// Builds the registry model a fixture describes: the name before any `_w<multiplier>` suffix,
/// with the fixture's classes and width multiplier.
func buildModel(for fixture: Fixture) throws -> Module {
    let options = fixture.attributes["options"] as? [String: Any] ?? [:]
    let name = fixture.name.replacingOccurrences(of: "models/", with: "").components(separatedBy: "_w")[0]
    var rng = RandomGenerator(seed: 0)
    return try ModelRegistry.make(name, options: ModelOptions(
        classes: (options["classes"] as? NSNumber)?.intValue ?? 1000,
        widthMultiplier: (options["width_multiplier"] as? NSNumber)?.doubleValue ?? 1), using: &rng)
}

/// The deterministic weights of make_model_fixtures.py. For the k-th state-dict entry with n
/// elements and s_i = sin(1.7·i + k) in Double:
///
///     *.num_batches_tracked            unchanged
///     *.running_mean                   0.1·s_i
///     *.running_var                    1 + 0.5·|s_i|
///     rank ≥ 2, not layer_scale        (2/√fanIn)·s_i, fanIn = n / shape[0]
///     other *.weight, *.layer_scale    1 + 0.2·s_i
///     *.bias                           0.1·s_i
///
/// each rounded to Float at the end.
func applyDeterministicFill(_ model: Module) throws {
    var state = StateDict()
    for (k, (name, tensor)) in model.stateDict().enumerated() {
        let n = tensor.count
        let value: (Double) -> Double
        if name.hasSuffix("num_batches_tracked") { state[name] = tensor; continue }
        else if name.hasSuffix("running_mean") { value = { 0.1 * $0 } }
        else if name.hasSuffix("running_var") { value = { 1 + 0.5 * abs($0) } }
        else if tensor.rank >= 2 && !name.hasSuffix("layer_scale") {
            let scale = 2 / Double(n / tensor.shape[0]).squareRoot()
            value = { scale * $0 }
        } else if name.hasSuffix("weight") || name.hasSuffix("layer_scale") { value = { 1 + 0.2 * $0 } }
        else if name.hasSuffix("bias") { value = { 0.1 * $0 } }
        else { throw ConfigurationError(owner: "fill", "no rule for \(name)") }
        state[name] = Tensor(shape: tensor.shape) { out in
            for i in 0..<n { out[i] = Float(value(sin(1.7 * Double(i) + Double(k)))) }
        }
    }
    try model.loadStateDict(state)
}

/// The fixtures' input: x_i = sin(0.37·i) over the flattened tensor.
func deterministicInput(_ shape: [Int]) -> Tensor {
    Tensor(shape: shape) { out in for i in 0..<out.count { out[i] = Float(sin(0.37 * Double(i))) } }
}

/// max |actual − expected| / max |expected|.
func relativeError(_ actual: Tensor, _ expected: Tensor) -> Double {
    let scale = expected.storage.reduce(0) { max($0, abs(Double($1))) }
    let worst = zip(actual.storage, expected.storage).reduce(0) { max($0, abs(Double($1.0) - Double($1.1))) }
    return worst / max(scale, .leastNormalMagnitude)
}
