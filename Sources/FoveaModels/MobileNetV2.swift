// MobileNetV2: Inverted Residuals and Linear Bottlenecks.
// Mark Sandler, Andrew Howard, Menglong Zhu, Andrey Zhmoginov, Liang-Chieh Chen. CVPR 2018, arXiv:1801.04381.
//
// Table 2's (t, c, n, s) rows, built like torchvision's `mobilenet_v2`, parameter for parameter:
// `features.0` (stem conv-BN-ReLU6), `features.1…17` inverted residuals (`conv.N`), `features.18`
// (1x1 conv to 1280), `classifier.1` (linear, after dropout 0.2).
// Deviations (torchvision's): widths are rounded with `makeDivisible` to multiples of 8, and the last
// 1280 is scaled only by multipliers above 1.
import FoveaLayers
import FoveaTensor

/// MobileNetV2's block: 1x1 expand by t (ReLU6) → 3x3 depthwise (ReLU6) → 1x1 linear projection,
/// with an identity shortcut when stride is 1 and the channels agree. Keys `conv.0.0` …, as torchvision's.
final class InvertedResidual: Module {
    let conv: Sequential
    let usesShortcut: Bool

    init(inputChannels inChannels: Int, outputChannels outChannels: Int, stride: Int, expansion: Int, using rng: inout RandomGenerator) throws {
        let hidden = inChannels * expansion
        var layers: [Module] = []
        if expansion != 1 { try layers.append(convNormActivation(inputChannels: inChannels, outputChannels: hidden, kernelSize: 1, activation: .relu6, using: &rng)) }
        layers += [
            try convNormActivation(inputChannels: hidden, outputChannels: hidden, stride: stride, groups: hidden, activation: .relu6, using: &rng),
            try Conv2d(inputChannels: hidden, outputChannels: outChannels, kernelSize: 1, bias: false, using: &rng),
            try BatchNorm2d(channels: outChannels),
        ]
        conv = Sequential(layers)
        usesShortcut = stride == 1 && inChannels == outChannels
        super.init()
        registerModule("conv", conv)
    }

    override func forward(_ x: Variable) throws -> Variable {
        try usesShortcut ? x + conv(x) : conv(x)
    }
}

/// MobileNetV2 with a width multiplier.
public final class MobileNetV2: Module {
    /// Table 2 after the stem: expansion t, output channels c, repeats n, first stride s.
    public static let table: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ]

    public let features: Sequential
    public let classifier: Sequential
    let requirement: InputRequirement

    public init(name: String = "mobilenet_v2", classes: Int = 1000, inputChannels: Int = 3, widthMultiplier: Double = 1,
                dropout: Float = 0.2, using rng: inout RandomGenerator) throws {
        var channels = scaled(32, widthMultiplier)
        let lastChannels = scaled(1280, max(1, widthMultiplier))
        var layers: [Module] = try [convNormActivation(inputChannels: inputChannels, outputChannels: channels, stride: 2, activation: .relu6, using: &rng)]
        for (t, c, n, s) in Self.table {
            let out = scaled(c, widthMultiplier)
            for i in 0..<n {
                try layers.append(InvertedResidual(inputChannels: channels, outputChannels: out, stride: i == 0 ? s : 1, expansion: t, using: &rng))
                channels = out
            }
        }
        try layers.append(convNormActivation(inputChannels: channels, outputChannels: lastChannels, kernelSize: 1, activation: .relu6, using: &rng))
        features = Sequential(layers)
        classifier = try Sequential(Dropout(p: dropout, using: &rng), Linear(inputFeatures: lastChannels, outputFeatures: classes, using: &rng))
        requirement = .mobileNet(name, inputChannels: inputChannels)
        super.init()
        registerMobileNetHead(self, features: features, classifier: classifier, using: &rng)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try mobileNetForward(x, requirement: requirement, features: features, classifier: classifier)
    }
}
