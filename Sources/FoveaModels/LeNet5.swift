// Gradient-Based Learning Applied to Document Recognition.
// Yann LeCun, Léon Bottou, Yoshua Bengio, Patrick Haffner. Proc. IEEE 86(11), 1998.
//
// Deviations from the paper, as is common practice:
// - ReLU instead of the scaled tanh, max pooling instead of trainable subsampling;
// - C3 connects to all six S2 maps (the paper's sparse connection table is dropped);
// - the RBF output layer is a linear layer trained with cross-entropy;
// - 28x28 inputs are padded by 2 in C1, giving the paper's 32x32 geometry.
import FoveaLayers
import FoveaTensor

/// LeNet-5: C1 conv 5x5 ×6 → S2 pool → C3 conv 5x5 ×16 → S4 pool → F5 120 → F6 84 → output.
///
/// Keys: `features.{0,3}` (convs), `classifier.{0,2,4}` (linears). Input `(N, C, 28, 28)` or `(N, C, 32, 32)`.
public final class LeNet5: Module {
    public let features: Sequential
    public let classifier: Sequential

    public init(classes: Int = 10, inputChannels: Int = 1, inputSize: Int = 28, using rng: inout RandomGenerator) throws {
        let pad = inputSize == 28 ? 2 : 0
        // After C1 (same size with pad), S2 (/2), C3 (−4), S4 (/2).
        let side = ((inputSize + 2 * pad - 4) / 2 - 4) / 2
        guard side > 0 else {
            throw ConfigurationError(owner: "LeNet5", "input size \(inputSize) is too small; LeNet-5 needs at least 16x16")
        }
        features = Sequential(
            try Conv2d(inputChannels: inputChannels, outputChannels: 6, kernelSize: 5, padding: pad, using: &rng), ReLU(), try MaxPool2d(kernelSize: 2),
            try Conv2d(inputChannels: 6, outputChannels: 16, kernelSize: 5, using: &rng), ReLU(), try MaxPool2d(kernelSize: 2))
        classifier = Sequential(
            try Linear(inputFeatures: 16 * side * side, outputFeatures: 120, using: &rng), ReLU(),
            try Linear(inputFeatures: 120, outputFeatures: 84, using: &rng), ReLU(),
            try Linear(inputFeatures: 84, outputFeatures: classes, using: &rng))
        super.init()
        registerModule("features", features)
        registerModule("classifier", classifier)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try classifier(flatten(features(x)))
    }
}
