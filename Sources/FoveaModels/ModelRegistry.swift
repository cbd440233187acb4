import FoveaLayers
import FoveaTensor

/// The models constructible by name (`fovea train --model NAME`).
public enum ModelRegistry {
    /// One entry: a name, a one-line description and a builder.
    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        let build: @Sendable (_ classes: Int, _ inputChannels: Int, _ rng: inout RandomGenerator) throws -> Module
    }

    public static let entries: [Entry] = [
        Entry(name: "lenet5", summary: "LeNet-5 (LeCun et al. 1998), ReLU + max-pool, for 28x28/32x32") { classes, channels, rng in
            try LeNet5(classes: classes, inputChannels: channels, rng: &rng)
        },
        Entry(name: "fashion-cnn", summary: "small VGG-style CNN with batch norm for 28x28 (5 convs, GAP)") { classes, channels, rng in
            try FashionCNN(classes: classes, inputChannels: channels, rng: &rng)
        },
    ]

    /// All model names.
    public static var names: [String] { entries.map(\.name) }

    /// Builds model `name`, or throws a `ConfigurationError` listing the known names.
    public static func make(_ name: String, classes: Int, inputChannels: Int, rng: inout RandomGenerator) throws -> Module {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw ConfigurationError(owner: "models", "unknown model '\(name)'; known: \(names.joined(separator: ", "))")
        }
        return try entry.build(classes, inputChannels, &rng)
    }
}
