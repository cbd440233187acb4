// MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications.
// Andrew G. Howard, Menglong Zhu, Bo Chen, Dmitry Kalenichenko, Weijun Wang, Tobias Weyand,
// Marco Andreetto, Hartwig Adam. arXiv:1704.04861, 2017.
//
// The body of Table 1 — a full 3x3 conv, then depthwise-separable layers (3x3 depthwise → BN → ReLU →
// 1x1 pointwise → BN → ReLU) — with the width multiplier α of Section 3.3.
// torchvision has no MobileNetV1, so the keys follow its MobileNetV2: `features.0.{0,1}` (stem conv,
// BN), `features.N.{0,1}.{0,1}` (depthwise / pointwise conv and BN), `classifier` (linear).
// Deviations:
// - the last depthwise conv has stride 1: Table 1 prints "s2" but keeps the 7x7 resolution, and the
//   reference implementations use stride 1;
// - widths α·c are rounded to a multiple of 8 (`makeDivisible`), like torchvision's MobileNets
//   (identical for α ∈ {1, 0.75, 0.5, 0.25});
// - initialisation follows torchvision's MobileNetV2 (Kaiming-normal fan-out convs, N(0, 0.01²) linear).
import FoveaLayers
import FoveaTensor

/// MobileNetV1 with width multiplier α (`widthMultiplier`).
public final class MobileNetV1: Module {
    /// Table 1 after the stem: (output channels, stride) of each depthwise-separable layer.
    public static let layers: [(channels: Int, stride: Int)] = [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1),
        (1024, 2), (1024, 1),
    ]

    public let features: Sequential
    public let classifier: Linear
    let requirement: InputRequirement

    public init(name: String = "mobilenet_v1", classes: Int = 1000, inputChannels: Int = 3, widthMultiplier: Double = 1,
                using rng: inout RandomGenerator) throws {
        var channels = scaled(32, widthMultiplier)
        var blocks: [Module] = try [convNormActivation(inputChannels: inputChannels, outputChannels: channels, stride: 2, activation: .relu, using: &rng)]
        for (width, stride) in Self.layers {
            let out = scaled(width, widthMultiplier)
            blocks.append(Sequential(
                try convNormActivation(inputChannels: channels, outputChannels: channels, stride: stride, groups: channels, activation: .relu, using: &rng),
                try convNormActivation(inputChannels: channels, outputChannels: out, kernelSize: 1, activation: .relu, using: &rng)))
            channels = out
        }
        features = Sequential(blocks)
        classifier = try Linear(inputFeatures: channels, outputFeatures: classes, using: &rng)
        requirement = .mobileNet(name, inputChannels: inputChannels)
        super.init()
        registerMobileNetHead(self, features: features, classifier: classifier, using: &rng)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try mobileNetForward(x, requirement: requirement, features: features, classifier: classifier)
    }
}
