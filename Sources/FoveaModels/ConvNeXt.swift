// A ConvNet for the 2020s.
// Zhuang Liu, Hanzi Mao, Chao-Yuan Wu, Christoph Feichtenhofer, Trevor Darrell, Saining Xie.
// CVPR 2022, arXiv:2201.03545.
//
// ConvNeXt-T/S/B/L (Section 3, "Model variants"), built like torchvision's `convnext_tiny` …
// `convnext_large`, parameter for parameter: `features.0` (4x4/4 patchify stem + LayerNorm),
// `features.{1,3,5,7}` stages of blocks, `features.{2,4,6}` downsampling (LayerNorm + 2x2/2 conv),
// `classifier.{0,2}` (LayerNorm, linear).
// Fovea stays NCHW where torchvision permutes to NHWC inside a block: its `Linear`s over channels
// are `ChannelLinear`s (1x1 convs with `Linear`'s parameter names and shapes), its `LayerNorm` over
// the last dimension is a `LayerNorm2d`, and its two `Permute`s are identities that keep the
// indices `block.0` … `block.6`.
//
// `convnext_cifar` is Fovea's ConvNeXt for 28x28 and 32x32 inputs: a 2x2/2 stem and three stages
// of widths 64, 128, 256 with 3 blocks each (same block, same builder).
import FoveaLayers
import FoveaTensor

/// torchvision's `Permute` inside a ConvNeXt block; the identity here (see the file header).
final class LayoutPermute: Module {
    override func forward(_ x: Variable) throws -> Variable { x }
}

/// The ConvNeXt block: 7x7 depthwise conv → LayerNorm → Linear(d, 4d) → GELU → Linear(4d, d),
/// scaled per channel by `layer_scale (d, 1, 1)`, dropped by stochastic depth, plus the input.
final class ConvNeXtBlock: Module {
    let layerScale: Variable
    let block: Sequential
    let stochasticDepth: StochasticDepth

    init(_ dim: Int, layerScale initialScale: Float, stochasticDepth p: Float, using rng: inout RandomGenerator) throws {
        layerScale = Variable(Tensor(shape: [dim, 1, 1], repeating: initialScale), requiresGrad: true)
        block = Sequential(
            try Conv2d(inputChannels: dim, outputChannels: dim, kernelSize: 7, padding: 3, groups: dim, using: &rng),
            LayoutPermute(),
            try LayerNorm2d(channels: dim, eps: 1e-6),
            try ChannelLinear(inputFeatures: dim, outputFeatures: 4 * dim, using: &rng),
            GELU(),
            try ChannelLinear(inputFeatures: 4 * dim, outputFeatures: dim, using: &rng),
            LayoutPermute())
        stochasticDepth = try StochasticDepth(p: p, using: &rng)
        super.init()
        registerParameter("layer_scale", layerScale)
        registerModule("block", block)
        registerModule("stochastic_depth", stochasticDepth)
    }

    override func forward(_ x: Variable) throws -> Variable {
        try x + (stochasticDepth(layerScale * (block(x))))
    }
}

/// ConvNeXt from a stage table.
public final class ConvNeXt: Module {
    public struct Configuration: Sendable {
        /// Kernel size and stride of the patchify stem (4 for ImageNet).
        public var patch: Int
        /// (width, blocks) of each stage.
        public var stages: [(width: Int, blocks: Int)]
        /// The last block's stochastic-depth rate; earlier blocks' rise linearly from 0.
        public var stochasticDepth: Float
    }

    /// Section 3's variants (widths and blocks) with torchvision's stochastic-depth rates, and
    /// `cifar` for 28x28/32x32 inputs.
    public enum Variant: String, Sendable, CaseIterable {
        case tiny, small, base, large, cifar

        public var configuration: Configuration {
            switch self {
            case .tiny: Configuration(patch: 4, stages: [(96, 3), (192, 3), (384, 9), (768, 3)], stochasticDepth: 0.1)
            case .small: Configuration(patch: 4, stages: [(96, 3), (192, 3), (384, 27), (768, 3)], stochasticDepth: 0.4)
            case .base: Configuration(patch: 4, stages: [(128, 3), (256, 3), (512, 27), (1024, 3)], stochasticDepth: 0.5)
            case .large: Configuration(patch: 4, stages: [(192, 3), (384, 3), (768, 27), (1536, 3)], stochasticDepth: 0.5)
            case .cifar: Configuration(patch: 2, stages: [(64, 3), (128, 3), (256, 3)], stochasticDepth: 0.1)
            }
        }
    }

    public let features: Sequential
    public let classifier: Sequential
    let requirement: InputRequirement

    public init(name: String, _ configuration: Configuration, classes: Int = 1000, inputChannels: Int = 3,
                layerScale: Float = 1e-6, using rng: inout RandomGenerator) throws {
        let c = configuration, stages = c.stages
        var layers: [Module] = [Sequential(
            try Conv2d(inputChannels: inputChannels, outputChannels: stages[0].width, kernelSize: c.patch, stride: c.patch, using: &rng),
            try LayerNorm2d(channels: stages[0].width, eps: 1e-6))]
        let totalBlocks = stages.reduce(0) { $0 + $1.blocks }
        var blockIndex = 0
        for (s, stage) in stages.enumerated() {
            var blocks: [Module] = []
            for _ in 0..<stage.blocks {
                let p = totalBlocks > 1 ? c.stochasticDepth * Float(blockIndex) / Float(totalBlocks - 1) : 0
                try blocks.append(ConvNeXtBlock(stage.width, layerScale: layerScale, stochasticDepth: p, using: &rng))
                blockIndex += 1
            }
            layers.append(Sequential(blocks))
            if s + 1 < stages.count {
                try layers.append(Sequential(LayerNorm2d(channels: stage.width, eps: 1e-6),
                                         Conv2d(inputChannels: stage.width, outputChannels: stages[s + 1].width, kernelSize: 2, stride: 2, using: &rng)))
            }
        }
        features = Sequential(layers)
        let last = stages[stages.count - 1].width
        classifier = try Sequential(LayerNorm2d(channels: last, eps: 1e-6), Flatten(), Linear(inputFeatures: last, outputFeatures: classes, using: &rng))
        let size = c.patch << (stages.count - 1)
        requirement = InputRequirement(model: name, channels: inputChannels, minimumSize: size,
                                       reason: "a \(c.patch)x\(c.patch) stem and \(stages.count - 1) 2x2 downsamplings")
        super.init()
        registerModule("features", features)
        registerModule("classifier", classifier)
        initialize(self, convolutions: .normal(std: 0.02), linears: .normal(std: 0.02), using: &rng)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requirement.check(x)
        return try classifier(adaptiveAvgPool2d(features(x), outputSize: (1, 1), label: "avgpool"))
    }
}
