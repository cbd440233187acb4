// Searching for MobileNetV3.
// Andrew Howard, Mark Sandler, Grace Chu, Liang-Chieh Chen, Bo Chen, Mingxing Tan, Weijun Wang,
// Yukun Zhu, Ruoming Pang, Vijay Vasudevan, Quoc V. Le, Hartwig Adam. ICCV 2019, arXiv:1905.02244.
//
// MobileNetV3-Large (Table 1) and -Small (Table 2), built like torchvision's `mobilenet_v3_large` and
// `mobilenet_v3_small`, parameter for parameter: `features.0` (stem), `features.N.block.K` (bneck
// layers, squeeze-excitation `fc1`/`fc2`), the last 1x1 conv, `classifier.{0,3}`.
// Deviations (torchvision's): the squeeze width is `makeDivisible(expansion / 4)`; the
// penultimate layers are linear layers after global pooling (equal to the paper's 1x1 convs
// without BN); batch norm has eps 0.001.
import FoveaLayers
import FoveaTensor

/// Squeeze-and-excitation (Hu et al. 2018, arXiv:1709.01507) as torchvision's `SqueezeExcitation`:
/// `x · hardsigmoid(fc2(relu(fc1(avgpool(x)))))`, `fc1`/`fc2` 1x1 convs with bias.
final class SqueezeExcitation: Module {
    let fc1: Conv2d, fc2: Conv2d

    init(_ channels: Int, squeezeChannels: Int, using rng: inout RandomGenerator) throws {
        fc1 = try Conv2d(inputChannels: channels, outputChannels: squeezeChannels, kernelSize: 1, using: &rng)
        fc2 = try Conv2d(inputChannels: squeezeChannels, outputChannels: channels, kernelSize: 1, using: &rng)
        super.init()
        registerModule("fc1", fc1)
        registerModule("fc2", fc2)
    }

    override func forward(_ x: Variable) throws -> Variable {
        let squeezed = try adaptiveAvgPool2d(x, outputSize: (1, 1), label: label + ".avgpool")
        let gate = try activation(fc2(activation(fc1(squeezed), .relu)), .hardsigmoid)
        return try x * gate
    }
}

/// One bneck row of the paper's tables.
public struct Bneck: Sendable {
    public var kernel: Int, expansion: Int, out: Int, squeezeExcite: Bool, hardswish: Bool, stride: Int
    init(_ kernel: Int, _ expansion: Int, _ out: Int, _ squeezeExcite: Bool, _ nonlinearity: String, _ stride: Int) {
        self.kernel = kernel; self.expansion = expansion; self.out = out
        self.squeezeExcite = squeezeExcite; hardswish = nonlinearity == "HS"; self.stride = stride
    }
}

/// MobileNetV3's block: [1x1 expand] → k×k depthwise → [squeeze-excite] → 1x1 linear projection,
/// identity shortcut when stride 1 and channels agree. Keys `block.K`, as torchvision's.
final class MobileNetV3Block: Module {
    let block: Sequential
    let usesShortcut: Bool

    init(inputChannels inChannels: Int, _ row: Bneck, widthMultiplier: Double, using rng: inout RandomGenerator) throws {
        let expanded = scaled(row.expansion, widthMultiplier), out = scaled(row.out, widthMultiplier)
        let nonlinearity: ActivationKind = row.hardswish ? .hardswish : .relu
        var layers: [Module] = []
        if expanded != inChannels {
            try layers.append(convNormActivation(inputChannels: inChannels, outputChannels: expanded, kernelSize: 1, eps: 1e-3, activation: nonlinearity, using: &rng))
        }
        try layers.append(convNormActivation(inputChannels: expanded, outputChannels: expanded, kernelSize: row.kernel, stride: row.stride, groups: expanded,
                                             eps: 1e-3, activation: nonlinearity, using: &rng))
        if row.squeezeExcite { try layers.append(SqueezeExcitation(expanded, squeezeChannels: makeDivisible(Double(expanded / 4)), using: &rng)) }
        try layers.append(convNormActivation(inputChannels: expanded, outputChannels: out, kernelSize: 1, eps: 1e-3, activation: nil, using: &rng))
        block = Sequential(layers)
        usesShortcut = row.stride == 1 && inChannels == out
        super.init()
        registerModule("block", block)
    }

    override func forward(_ x: Variable) throws -> Variable {
        try usesShortcut ? x + block(x) : block(x)
    }
}

/// MobileNetV3 from a bneck table, with a width multiplier.
public final class MobileNetV3: Module {
    /// Table 1: MobileNetV3-Large. Columns: kernel, expansion size, out, SE, nonlinearity, stride.
    public static let large: (rows: [Bneck], lastChannels: Int) = ([
        Bneck(3, 16, 16, false, "RE", 1),
        Bneck(3, 64, 24, false, "RE", 2),
        Bneck(3, 72, 24, false, "RE", 1),
        Bneck(5, 72, 40, true, "RE", 2),
        Bneck(5, 120, 40, true, "RE", 1),
        Bneck(5, 120, 40, true, "RE", 1),
        Bneck(3, 240, 80, false, "HS", 2),
        Bneck(3, 200, 80, false, "HS", 1),
        Bneck(3, 184, 80, false, "HS", 1),
        Bneck(3, 184, 80, false, "HS", 1),
        Bneck(3, 480, 112, true, "HS", 1),
        Bneck(3, 672, 112, true, "HS", 1),
        Bneck(5, 672, 160, true, "HS", 2),
        Bneck(5, 960, 160, true, "HS", 1),
        Bneck(5, 960, 160, true, "HS", 1),
    ], 1280)

    /// Table 2: MobileNetV3-Small.
    public static let small: (rows: [Bneck], lastChannels: Int) = ([
        Bneck(3, 16, 16, true, "RE", 2),
        Bneck(3, 72, 24, false, "RE", 2),
        Bneck(3, 88, 24, false, "RE", 1),
        Bneck(5, 96, 40, true, "HS", 2),
        Bneck(5, 240, 40, true, "HS", 1),
        Bneck(5, 240, 40, true, "HS", 1),
        Bneck(5, 120, 48, true, "HS", 1),
        Bneck(5, 144, 48, true, "HS", 1),
        Bneck(5, 288, 96, true, "HS", 2),
        Bneck(5, 576, 96, true, "HS", 1),
        Bneck(5, 576, 96, true, "HS", 1),
    ], 1024)

    public let features: Sequential
    public let classifier: Sequential
    let requirement: InputRequirement

    public init(name: String, rows: [Bneck], lastChannels: Int, classes: Int = 1000, inputChannels: Int = 3,
                widthMultiplier: Double = 1, dropout: Float = 0.2, using rng: inout RandomGenerator) throws {
        var channels = scaled(16, widthMultiplier)
        var layers: [Module] = try [convNormActivation(inputChannels: inputChannels, outputChannels: channels, stride: 2, eps: 1e-3, activation: .hardswish, using: &rng)]
        for row in rows {
            try layers.append(MobileNetV3Block(inputChannels: channels, row, widthMultiplier: widthMultiplier, using: &rng))
            channels = scaled(row.out, widthMultiplier)
        }
        try layers.append(convNormActivation(inputChannels: channels, outputChannels: 6 * channels, kernelSize: 1, eps: 1e-3, activation: .hardswish, using: &rng))
        features = Sequential(layers)
        let last = scaled(lastChannels, widthMultiplier)
        classifier = try Sequential(Linear(inputFeatures: 6 * channels, outputFeatures: last, using: &rng), Hardswish(), Dropout(p: dropout, using: &rng),
                                Linear(inputFeatures: last, outputFeatures: classes, using: &rng))
        requirement = .mobileNet(name, inputChannels: inputChannels)
        super.init()
        registerMobileNetHead(self, features: features, classifier: classifier, using: &rng)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try mobileNetForward(x, requirement: requirement, features: features, classifier: classifier)
    }
}
