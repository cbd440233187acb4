import Foundation
import Fovea
import FoveaTestSupport

/// The network of tools/references/make_interpret_fixtures.py: conv 3→4 · ReLU · max-pool ·
/// conv 4→8 · ReLU · flatten · linear 512→5, for 16x16 RGB inputs.
final class TinyCNN: Module {
    let features: Sequential
    let classifier: Linear

    init(seed: UInt64 = 0) throws {
        var rng = RandomGenerator(seed: seed)
        features = try Sequential(Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1, using: &rng), ReLU(), MaxPool2d(kernelSize: 2),
                              Conv2d(inputChannels: 4, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), ReLU())
        classifier = try Linear(inputFeatures: 512, outputFeatures: 5, using: &rng)
        super.init()
        registerModule("features", features)
        registerModule("classifier", classifier)
    }

    override func forward(_ x: Variable) throws -> Variable { try classifier(flatten(features(x))) }

    /// The model with the fixture's weights.
    static func reference() throws -> TinyCNN {
        let model = try TinyCNN()
        try model.load(from: fixtureURL("interpret/tiny_cnn.safetensors"))
        model.eval()
        return model
    }
}

/// `Tests/Fixtures/<relative>`.
func fixtureURL(_ relative: String) -> URL {
    var url = URL(fileURLWithPath: #filePath)
    while url.pathComponents.count > 1 {
        url.deleteLastPathComponent()
        let candidate = url.appendingPathComponent("Tests/Fixtures")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate.appendingPathComponent(relative) }
    }
    return URL(fileURLWithPath: "Tests/Fixtures/" + relative)
}
