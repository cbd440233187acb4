// Pieces shared by the zoo's model families: torchvision's `Conv2dNormActivation` and
// `_make_divisible`, its weight initialisations, and the input check every model runs first.
import FoveaLayers
import FoveaTensor

/// torchvision's `Conv2dNormActivation`: `Sequential(conv, BatchNorm2d, activation)`, keys `0` (conv)
/// and `1` (norm); "same" padding `(kernel − 1)/2 · dilation`, and no conv bias (the norm has one).
func convNormActivation(inputChannels inChannels: Int, outputChannels outChannels: Int, kernelSize: Int = 3, stride: Int = 1, groups: Int = 1,
                        eps: Float = 1e-5, activation: ActivationKind?, using rng: inout RandomGenerator) throws -> Sequential {
    var layers: [Module] = [
        try Conv2d(inputChannels: inChannels, outputChannels: outChannels, kernelSize: kernelSize, stride: stride, padding: (kernelSize - 1) / 2,
                   groups: groups, bias: false, using: &rng),
        try BatchNorm2d(channels: outChannels, eps: eps),
    ]
    if let activation { layers.append(Activation(activation)) }
    return Sequential(layers)
}

/// torchvision's `_make_divisible` (from the TensorFlow MobileNet code): `value` rounded to the
/// nearest multiple of `divisor`, at least `divisor`, and never more than 10 % below `value`.
public func makeDivisible(_ value: Double, _ divisor: Int = 8) -> Int {
    var rounded = max(divisor, Int(value + Double(divisor) / 2) / divisor * divisor)
    if Double(rounded) < 0.9 * value { rounded += divisor }
    return rounded
}

/// How a model family initialises a kind of layer's weights (biases are zeroed unless `.keep`).
enum WeightInit {
    /// Leave the layer's own PyTorch-default initialisation (U(−1/√fanIn, 1/√fanIn)).
    case keep
    /// N(0, std²). torchvision's ConvNeXt uses `trunc_normal_(std=0.02)` with bounds ±2 — a
    /// hundred standard deviations — which is this normal for all practical purposes.
    case normal(std: Float)
    /// `kaiming_normal_(mode="fan_out", nonlinearity="relu")`: N(0, 2/fanOut), fanOut = O·KH·KW.
    case kaimingNormalFanOut
}

/// Re-initialises every `Conv2d`, `Linear` and `ChannelLinear` of `model` as torchvision's model
/// constructors do (batch and layer norms already start at weight 1, bias 0).
func initialize(_ model: Module, convolutions: WeightInit, linears: WeightInit, using rng: inout RandomGenerator) {
    func apply(_ rule: WeightInit, _ weight: Variable, _ bias: Variable?, fanOut: Int) {
        switch rule {
        case .keep: return
        case .normal(let std): weight.value = .normal(weight.shape, std: std, using: &rng)
        case .kaimingNormalFanOut: weight.value = .kaimingNormalFanOut(weight.shape, fanOut: fanOut, using: &rng)
        }
        if let bias { bias.value = Tensor(shape: bias.shape, repeating: 0) }
    }
    for case let layer as WeightedLayer in model.modules() {
        apply(layer is Conv2d ? convolutions : linears, layer.weight, layer.bias, fanOut: layer.fanOut)
    }
}

/// What a model needs of its input, checked on entry so that the error names the model and the
/// reason rather than whichever inner layer first runs out of pixels.
struct InputRequirement {
    /// The model's registry name (`resnet18`).
    let model: String
    let channels: Int
    /// The smallest height and width.
    let minimumSize: Int
    /// Why, in words (`5 stride-2 stages`).
    let reason: String

    func check(_ x: Variable) throws {
        let s = x.shape
        guard s.count == 4, s[1] == channels else {
            throw ShapeError(layer: model, expected: "input (N, \(channels), H, W)", actual: s)
        }
        guard s[2] >= minimumSize, s[3] >= minimumSize else {
            throw ShapeError(layer: model, expected: "input of at least \(minimumSize)x\(minimumSize) (\(reason))", actual: s)
        }
    }
}

/// `1 << n` as a minimum input size for `n` stride-2 stages.
func minimumSize(strideTwoStages n: Int) -> Int { 1 << n }

/// A width scaled by a multiplier and rounded to a multiple of 8, as torchvision's MobileNets do.
func scaled(_ channels: Int, _ multiplier: Double) -> Int { makeDivisible(Double(channels) * multiplier) }

// MARK: - The MobileNets' shared head

extension InputRequirement {
    /// MobileNets halve the resolution five times.
    static func mobileNet(_ model: String, inputChannels: Int) -> InputRequirement {
        InputRequirement(model: model, channels: inputChannels, minimumSize: FoveaModels.minimumSize(strideTwoStages: 5),
                         reason: "5 stride-2 stages")
    }
}

/// Registers a MobileNet's `features` and `classifier` (torchvision's keys) and initialises its
/// weights as torchvision does: Kaiming-normal (fan-out) convolutions, N(0, 0.01²) linear layers.
func registerMobileNetHead(_ model: Module, features: Module, classifier: Module, using rng: inout RandomGenerator) {
    model.registerModule("features", features)
    model.registerModule("classifier", classifier)
    initialize(model, convolutions: .kaimingNormalFanOut, linears: .normal(std: 0.01), using: &rng)
}

/// features → global average pooling ("avgpool") → flatten → classifier, after the input check.
func mobileNetForward(_ x: Variable, requirement: InputRequirement, features: Module, classifier: Module) throws -> Variable {
    try requirement.check(x)
    let pooled = try adaptiveAvgPool2d(features(x), outputSize: (1, 1), label: "avgpool")
    return try classifier(flatten(pooled))
}
