// Deep Residual Learning for Image Recognition.
// Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun. CVPR 2016, arXiv:1512.03385.
//
// ImageNet ResNets (Table 1) as torchvision builds them, parameter for parameter (`resnet18` …
// `resnet152`: conv1, bn1, maxpool, layer1…layer4, fc), and the CIFAR-10 ResNets of Section 4.2
// (`resnet20` … `resnet110`: a 3x3 stem, three stages of 16/32/64 channels, 6n + 2 layers).
// Every network has a plain twin without shortcuts for the degradation experiment (Figures 4
// and 6): `plain18`, `plain34`, `plain20` … `plain110`.
// Deviations:
// - the stride of a bottleneck is on its 3x3 conv, not its first 1x1 (torchvision's "v1.5");
// - ImageNet ResNets use projection shortcuts only where the shape changes (option B);
//   CIFAR ResNets use the paper's option A there (subsample + zero channels, no parameters),
//   so their sizes are the paper's 0.27M … 1.7M; zeros are padded half before and half after
//   the input's channels;
// - initialisation is torchvision's: Kaiming-normal (fan-out) convs, BN weight 1 and bias 0,
//   PyTorch's default for `fc`.
import FoveaLayers
import FoveaTensor

/// A ResNet (or its plain twin) from a configuration.
public final class ResNet: Module {
    public enum Stem: Sendable {
        /// 7x7 conv stride 2 → BN → ReLU → 3x3 max pool stride 2 (ImageNet).
        case imagenet
        /// 3x3 conv stride 1 → BN → ReLU (CIFAR).
        case cifar
    }

    public struct Configuration: Sendable {
        public var stem: Stem
        public var block: ResNetBlock.Kind
        /// Blocks per stage; the first block of every stage after the first has stride 2.
        public var blocks: [Int]
        /// The width of each stage (its output is `width · expansion` channels).
        public var widths: [Int]
        public var shortcut: ResNetBlock.Shortcut
    }

    /// The ImageNet depths of Table 1 and their blocks per stage.
    public enum Depth: Int, Sendable, CaseIterable {
        case resnet18 = 18, resnet34 = 34, resnet50 = 50, resnet101 = 101, resnet152 = 152

        public var block: ResNetBlock.Kind { rawValue < 50 ? .basic : .bottleneck }
        public var blocks: [Int] {
            switch self {
            case .resnet18: [2, 2, 2, 2]
            case .resnet34, .resnet50: [3, 4, 6, 3]
            case .resnet101: [3, 4, 23, 3]
            case .resnet152: [3, 8, 36, 3]
            }
        }
    }
    /// Section 4.2: the CIFAR-10 networks have depth 6n + 2 (n basic blocks per stage).
    public static let cifarDepths = [20, 32, 44, 56, 110]

    /// The ImageNet network of `depth`, plain when `shortcuts` is false.
    public static func imagenet(_ depth: Depth, shortcuts: Bool = true) -> Configuration {
        Configuration(stem: .imagenet, block: depth.block, blocks: depth.blocks, widths: [64, 128, 256, 512],
                      shortcut: shortcuts ? .projection : .none)
    }

    /// The CIFAR network of `depth` = 6n + 2 layers, plain when `shortcuts` is false.
    public static func cifar(depth: Int, shortcuts: Bool = true) throws -> Configuration {
        guard depth >= 8, (depth - 2) % 6 == 0 else {
            throw ConfigurationError(owner: "ResNet", "CIFAR ResNets have depth 6n + 2 (20, 32, 44, 56, 110, …), got \(depth)")
        }
        let n = (depth - 2) / 6
        return Configuration(stem: .cifar, block: .basic, blocks: [n, n, n], widths: [16, 32, 64],
                             shortcut: shortcuts ? .zeroPadding : .none)
    }

    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let relu = ReLU()
    public let maxpool: MaxPool2d?
    public let stages: [Sequential]
    public let avgpool = AdaptiveAvgPool2d()
    public let fc: Linear
    let requirement: InputRequirement

    public init(name: String, _ configuration: Configuration, classes: Int = 1000, inputChannels: Int = 3,
                using rng: inout RandomGenerator) throws {
        let c = configuration
        switch c.stem {
        case .imagenet:
            conv1 = try Conv2d(inputChannels: inputChannels, outputChannels: c.widths[0], kernelSize: 7, stride: 2, padding: 3, bias: false, using: &rng)
            maxpool = try MaxPool2d(kernelSize: 3, stride: 2, padding: 1)
        case .cifar:
            conv1 = try Conv2d(inputChannels: inputChannels, outputChannels: c.widths[0], kernelSize: 3, padding: 1, bias: false, using: &rng)
            maxpool = nil
        }
        bn1 = try BatchNorm2d(channels: c.widths[0])
        var channels = c.widths[0]
        var stages: [Sequential] = []
        for (s, (count, width)) in zip(c.blocks, c.widths).enumerated() {
            var blocks: [Module] = []
            for b in 0..<count {
                let block = try ResNetBlock(c.block, inputChannels: channels, width: width, stride: s > 0 && b == 0 ? 2 : 1,
                                            shortcut: c.shortcut, using: &rng)
                blocks.append(block)
                channels = width * c.block.expansion
            }
            stages.append(Sequential(blocks))
        }
        self.stages = stages
        fc = try Linear(inputFeatures: channels, outputFeatures: classes, using: &rng)
        let strideTwo = (c.stem == .imagenet ? 2 : 0) + c.blocks.count - 1
        requirement = InputRequirement(model: name, channels: inputChannels, minimumSize: minimumSize(strideTwoStages: strideTwo),
                                       reason: "\(strideTwo) stride-2 stages")
        super.init()
        registerModule("conv1", conv1)
        registerModule("bn1", bn1)
        registerModule("relu", relu)
        if let maxpool { registerModule("maxpool", maxpool) }
        for (i, stage) in stages.enumerated() { registerModule("layer\(i + 1)", stage) }
        registerModule("avgpool", avgpool)
        registerModule("fc", fc)
        initialize(self, convolutions: .kaimingNormalFanOut, linears: .keep, using: &rng)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requirement.check(x)
        var y = try relu(bn1(conv1(x)))
        if let maxpool { y = try maxpool(y) }
        for stage in stages { y = try stage(y) }
        return try fc(flatten(avgpool(y)))
    }
}
