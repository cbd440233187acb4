import FoveaLayers
import FoveaTensor

/// What a model is built for. Each registry entry says which of the optional settings it honours.
public struct ModelOptions: Sendable, Equatable {
    /// Output classes.
    public var classes: Int
    /// Input channels (3 for RGB, 1 for grayscale).
    public var inputChannels: Int
    /// Scales layer widths (MobileNets' α, the `_cifar` models); 1 gives the paper's network.
    public var widthMultiplier: Double
    /// Batch normalization on or off; nil keeps the architecture's own choice (VGG only).
    public var batchNorm: Bool?

    public init(classes: Int = 1000, inputChannels: Int = 3, widthMultiplier: Double = 1, batchNorm: Bool? = nil) {
        self.classes = classes; self.inputChannels = inputChannels
        self.widthMultiplier = widthMultiplier; self.batchNorm = batchNorm
    }
}

/// The models constructible by name (`fovea train --model NAME`); names follow torchvision's.
public enum ModelRegistry {
    /// One entry: a name, a one-line description, the options it honours beyond classes and
    /// input channels, and a builder.
    public struct Entry: Sendable {
        public enum Setting: Sendable { case widthMultiplier, batchNorm }
        /// How a family of networks is usually trained (the recipe `fovea train` defaults to).
        public enum TrainingStyle: Sendable {
            /// Small networks without normalisation (LeNet-5): SGD at a moderate rate, no augmentation.
            case plain
            /// Batch-normalised CNNs: SGD with a high rate and crop-flip augmentation.
            case batchNormalized
            /// Transformer-era CNNs with layer norm (ConvNeXt): AdamW.
            case adamW
        }
        public let name: String
        public let summary: String
        public let settings: Set<Setting>
        public let trainingStyle: TrainingStyle
        let build: @Sendable (_ options: ModelOptions, _ rng: inout RandomGenerator) throws -> Module

        init(_ name: String, _ summary: String, settings: Set<Setting> = [], trainingStyle: TrainingStyle = .batchNormalized,
             build: @escaping @Sendable (_ options: ModelOptions, _ rng: inout RandomGenerator) throws -> Module) {
            self.name = name; self.summary = summary; self.settings = settings; self.trainingStyle = trainingStyle; self.build = build
        }
    }

    public static let entries: [Entry] = [
        Entry("lenet5", "LeNet-5 (LeCun et al. 1998), ReLU + max-pool, for 28x28/32x32", trainingStyle: .plain) { o, rng in
            try LeNet5(classes: o.classes, inputChannels: o.inputChannels, using: &rng)
        },
        Entry("fashion-cnn", "small VGG-style CNN with batch norm for 28x28 (5 convs, GAP)") { o, rng in
            try FashionCNN(classes: o.classes, inputChannels: o.inputChannels, using: &rng)
        },
    ] + vggEntries + resnetEntries + mobilenetEntries + convnextEntries

    static let vggEntries: [Entry] = [(11, VGG.Table.a), (13, .b), (16, .d), (19, .e)].flatMap { depth, table in
        [false, true].map { bn in
            Entry("vgg\(depth)\(bn ? "_bn" : "")", "VGG-\(depth) (Simonyan & Zisserman 2015, configuration \(table.rawValue))\(bn ? " with batch norm" : ""), inputs ≥ 32x32",
                  settings: [.batchNorm]) { o, rng in
                try VGG(name: "vgg\(depth)\(bn ? "_bn" : "")", stages: table.stages, batchNorm: o.batchNorm ?? bn,
                        head: .fullyConnected, classes: o.classes, inputChannels: o.inputChannels, using: &rng)
            }
        }
    } + [
        Entry("vgg_cifar", "VGG for 28x28/32x32: configuration A's first 4 stages, batch norm, GAP, linear",
              settings: [.batchNorm, .widthMultiplier]) { o, rng in
            try VGG(name: "vgg_cifar", stages: VGG.Table.cifar.stages, batchNorm: o.batchNorm ?? true, head: .globalAverage,
                    classes: o.classes, inputChannels: o.inputChannels, widthMultiplier: o.widthMultiplier, using: &rng)
        },
    ]

    static let resnetEntries: [Entry] = ResNet.Depth.allCases.map { depth in
        Entry("resnet\(depth.rawValue)", "ResNet-\(depth.rawValue) (He et al. 2016, ImageNet layout), inputs ≥ 32x32") { o, rng in
            try ResNet(name: "resnet\(depth.rawValue)", ResNet.imagenet(depth), classes: o.classes, inputChannels: o.inputChannels, using: &rng)
        }
    } + [ResNet.Depth.resnet18, .resnet34].map { depth in
        Entry("plain\(depth.rawValue)", "plain twin of ResNet-\(depth.rawValue), no shortcuts (degradation experiment)") { o, rng in
            try ResNet(name: "plain\(depth.rawValue)", ResNet.imagenet(depth, shortcuts: false), classes: o.classes,
                       inputChannels: o.inputChannels, using: &rng)
        }
    } + ResNet.cifarDepths.flatMap { depth in
        [true, false].map { shortcuts in
            let name = "\(shortcuts ? "resnet" : "plain")\(depth)"
            return Entry(name, shortcuts ? "CIFAR ResNet-\(depth) (He et al. 2016 §4.2, option A shortcuts), for 28x28/32x32"
                                         : "plain twin of CIFAR ResNet-\(depth), no shortcuts") { o, rng in
                try ResNet(name: name, ResNet.cifar(depth: depth, shortcuts: shortcuts), classes: o.classes,
                           inputChannels: o.inputChannels, using: &rng)
            }
        }
    }

    static let mobilenetEntries: [Entry] = [
        Entry("mobilenet_v1", "MobileNetV1 (Howard et al. 2017), width multiplier α", settings: [.widthMultiplier]) { o, rng in
            try MobileNetV1(classes: o.classes, inputChannels: o.inputChannels, widthMultiplier: o.widthMultiplier, using: &rng)
        },
        Entry("mobilenet_v2", "MobileNetV2 (Sandler et al. 2018), width multiplier", settings: [.widthMultiplier]) { o, rng in
            try MobileNetV2(classes: o.classes, inputChannels: o.inputChannels, widthMultiplier: o.widthMultiplier, using: &rng)
        },
        Entry("mobilenet_v3_small", "MobileNetV3-Small (Howard et al. 2019), width multiplier", settings: [.widthMultiplier]) { o, rng in
            try MobileNetV3(name: "mobilenet_v3_small", rows: MobileNetV3.small.rows, lastChannels: MobileNetV3.small.lastChannels,
                            classes: o.classes, inputChannels: o.inputChannels, widthMultiplier: o.widthMultiplier, using: &rng)
        },
        Entry("mobilenet_v3_large", "MobileNetV3-Large (Howard et al. 2019), width multiplier", settings: [.widthMultiplier]) { o, rng in
            try MobileNetV3(name: "mobilenet_v3_large", rows: MobileNetV3.large.rows, lastChannels: MobileNetV3.large.lastChannels,
                            classes: o.classes, inputChannels: o.inputChannels, widthMultiplier: o.widthMultiplier, using: &rng)
        },
    ]

    static let convnextEntries: [Entry] = ConvNeXt.Variant.allCases.map { variant in
        Entry("convnext_\(variant.rawValue)", variant == .cifar ? "ConvNeXt for 28x28/32x32: 2x2 stem, 3 stages (64, 128, 256) × 3 blocks"
                                                        : "ConvNeXt-\(variant.rawValue.prefix(1).uppercased()) (Liu et al. 2022), inputs ≥ 32x32",
              trainingStyle: .adamW) { o, rng in
            try ConvNeXt(name: "convnext_\(variant.rawValue)", variant.configuration, classes: o.classes, inputChannels: o.inputChannels, using: &rng)
        }
    }

    /// All model names.
    public static var names: [String] { entries.map(\.name) }

    /// The entry of model `name`, or a `ConfigurationError` listing the known names.
    public static func entry(named name: String) throws -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw ConfigurationError(owner: "models", "unknown model '\(name)'; known: \(names.joined(separator: ", "))")
        }
        return entry
    }

    /// Builds model `name` with `options`, or throws a `ConfigurationError` listing the known names
    /// or naming a setting the model does not have.
    public static func make(_ name: String, options: ModelOptions, using rng: inout RandomGenerator) throws -> Module {
        let entry = try entry(named: name)
        guard options.classes > 0, options.inputChannels > 0 else {
            throw ConfigurationError(owner: name, "classes (\(options.classes)) and input channels (\(options.inputChannels)) must be positive")
        }
        if options.widthMultiplier != 1 && !entry.settings.contains(.widthMultiplier) {
            throw ConfigurationError(owner: name, "has no width multiplier (got \(options.widthMultiplier))")
        }
        if !(options.widthMultiplier > 0) {
            throw ConfigurationError(owner: name, "width multiplier must be positive, got \(options.widthMultiplier)")
        }
        if options.batchNorm != nil && !entry.settings.contains(.batchNorm) {
            throw ConfigurationError(owner: name, "batch norm cannot be switched for this model")
        }
        return try entry.build(options, &rng)
    }

    /// Builds model `name` for `classes` classes and `inputChannels` channels with its default settings.
    public static func make(_ name: String, classes: Int, inputChannels: Int, using rng: inout RandomGenerator) throws -> Module {
        try make(name, options: ModelOptions(classes: classes, inputChannels: inputChannels), using: &rng)
    }
}
