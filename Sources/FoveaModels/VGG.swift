// Very Deep Convolutional Networks for Large-Scale Image Recognition.
// Karen Simonyan, Andrew Zisserman. ICLR 2015, arXiv:1409.1556.
//
// Configurations A, B, D and E of the paper's Table 1 (VGG-11/13/16/19), built like torchvision's
// `vgg11` … `vgg19_bn`, parameter for parameter (keys `features.N`, `classifier.{0,3,6}`).
// Deviations from the paper, all torchvision's, kept for checkpoint compatibility:
// - the `_bn` variants add batch normalization (Ioffe & Szegedy 2015, arXiv:1502.03167) after every conv;
// - an adaptive 7x7 average pool before the classifier accepts any input of at least 32x32
//   (the paper's first FC layer assumes 224x224);
// - configurations A-LRN and C (with 1x1 convs) are not provided.
//
// `vgg_cifar` is Fovea's VGG for 28x28 and 32x32 inputs (CIFAR, Fashion-MNIST): configuration A's
// first four stages [64] [128] [256 256] [512 512], batch normalization on by default, then global
// average pooling and one linear classifier (key `classifier`); 4.5M parameters for 10 classes.
import FoveaLayers
import FoveaTensor

/// A VGG network: stages of 3x3 convolutions (padding 1), each stage closed by a 2x2 max pool.
public final class VGG: Module {
    /// The paper's Table 1 configurations (and `vgg_cifar`'s): the conv widths of each stage.
    public enum Table: String, Sendable, CaseIterable {
        case a = "A", b = "B", d = "D", e = "E"
        /// `vgg_cifar`: configuration A's first four stages.
        case cifar

        public var stages: [[Int]] {
            switch self {
            case .a: [[64], [128], [256, 256], [512, 512], [512, 512]]                                            // VGG-11
            case .b: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]]                                   // VGG-13
            case .d: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]                    // VGG-16
            case .e: [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]]     // VGG-19
            case .cifar: [[64], [128], [256, 256], [512, 512]]
            }
        }
    }

    /// What follows the convolutional features.
    public enum Head: Sendable {
        /// The paper's: 7x7 (adaptive) average pool, FC-4096, ReLU, dropout, FC-4096, ReLU, dropout, FC-classes.
        case fullyConnected
        /// Global average pool and one linear layer.
        case globalAverage
    }

    public let features: Sequential
    public let avgpool: AdaptiveAvgPool2d
    public let classifier: Module
    let requirement: InputRequirement

    /// A VGG with the given stages and head.
    ///
    /// - Parameters:
    ///   - name: the model's name in input-size errors (`vgg16_bn`).
    ///   - stages: the conv widths of each stage (a `Table`'s `stages`).
    ///   - batchNorm: adds batch normalization after every conv (the `_bn` variants).
    ///   - head: what follows the convolutional features.
    ///   - classes: outputs of the classifier.
    ///   - inputChannels: channels of the input images.
    ///   - widthMultiplier: scales every conv width (rounded to a multiple of 8); 1 gives the paper's.
    ///   - rng: draws the initial weights.
    public init(name: String, stages: [[Int]], batchNorm: Bool, head: Head, classes: Int = 1000, inputChannels: Int = 3,
                widthMultiplier: Double = 1, using rng: inout RandomGenerator) throws {
        var layers: [Module] = []
        var channels = inputChannels
        for stage in stages {
            for width in stage {
                let out = widthMultiplier == 1 ? width : scaled(width, widthMultiplier)
                try layers.append(Conv2d(inputChannels: channels, outputChannels: out, kernelSize: 3, padding: 1, using: &rng))
                if batchNorm { try layers.append(BatchNorm2d(channels: out)) }
                layers.append(ReLU())
                channels = out
            }
            try layers.append(MaxPool2d(kernelSize: 2))
        }
        features = Sequential(layers)
        switch head {
        case .fullyConnected:
            avgpool = try AdaptiveAvgPool2d((7, 7))
            classifier = Sequential(
                try Linear(inputFeatures: channels * 7 * 7, outputFeatures: 4096, using: &rng), ReLU(), try Dropout(p: 0.5, using: &rng),
                try Linear(inputFeatures: 4096, outputFeatures: 4096, using: &rng), ReLU(), try Dropout(p: 0.5, using: &rng),
                try Linear(inputFeatures: 4096, outputFeatures: classes, using: &rng))
        case .globalAverage:
            avgpool = AdaptiveAvgPool2d()
            classifier = try Linear(inputFeatures: channels, outputFeatures: classes, using: &rng)
        }
        requirement = InputRequirement(model: name, channels: inputChannels, minimumSize: minimumSize(strideTwoStages: stages.count),
                                       reason: "\(stages.count) 2x2 max pools")
        super.init()
        registerModule("features", features)
        registerModule("avgpool", avgpool)
        registerModule("classifier", classifier)
        initialize(self, convolutions: .kaimingNormalFanOut, linears: .normal(std: 0.01), using: &rng)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requirement.check(x)
        return try classifier(flatten(avgpool(features(x))))
    }
}
