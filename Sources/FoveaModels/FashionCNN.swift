// A small batch-normalised CNN for 28x28 inputs, in the VGG style:
// Very Deep Convolutional Networks for Large-Scale Image Recognition.
// Karen Simonyan, Andrew Zisserman. ICLR 2015, arXiv:1409.1556 —
// stacks of 3x3 convolutions, with batch normalization (Ioffe & Szegedy 2015, arXiv:1502.03167)
// after each, halving resolution by max pooling; global average pooling (Lin et al. 2014,
// arXiv:1312.4400) before one linear classifier keeps the parameter count small.
import FoveaLayers
import FoveaTensor

/// Two stages of [conv3x3-BN-ReLU]×2 → max-pool (widths `width`, `2·width`), a third conv stage,
/// global average pooling and a linear classifier. Keys: `features.N.*`, `classifier.*`.
public final class FashionCNN: Module {
    public let features: Sequential
    public let classifier: Linear

    public init(classes: Int = 10, inputChannels: Int = 1, width: Int = 32, using rng: inout RandomGenerator) throws {
        func block(_ i: Int, _ o: Int) throws -> [Module] {
            [try Conv2d(inputChannels: i, outputChannels: o, kernelSize: 3, padding: 1, bias: false, using: &rng), try BatchNorm2d(channels: o), ReLU()]
        }
        let w = width
        features = Sequential(
            try block(inputChannels, w) + block(w, w) + [MaxPool2d(kernelSize: 2)]
            + block(w, 2 * w) + block(2 * w, 2 * w) + [MaxPool2d(kernelSize: 2)]
            + block(2 * w, 4 * w) + [AdaptiveAvgPool2d()])
        classifier = try Linear(inputFeatures: 4 * w, outputFeatures: classes, using: &rng)
        super.init()
        registerModule("features", features)
        registerModule("classifier", classifier)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try classifier(flatten(features(x)))
    }
}
