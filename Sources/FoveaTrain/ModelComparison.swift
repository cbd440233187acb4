import FoveaData
import FoveaModels
import FoveaTensor

/// Trains several architectures with the same budget and recipe and measures what each costs:
/// the data behind `fovea compare` (accuracy against parameters, MACs, training time and latency).
public enum ModelComparison {
    /// One architecture to compare: a registry model and how it is built.
    public struct Candidate: Sendable {
        /// The registry name (`resnet20`).
        public var model: String
        /// Width multiplier (1 for models without one).
        public var widthMultiplier: Double
        /// When set, images are zero-padded to this height and width first (models that need
        /// larger inputs than the dataset's, such as the MobileNets' 32x32).
        public var paddedSize: Int?

        public init(_ model: String, widthMultiplier: Double = 1, paddedSize: Int? = nil) {
            self.model = model; self.widthMultiplier = widthMultiplier; self.paddedSize = paddedSize
        }

        /// The name shown in reports (`mobilenet_v2 ×0.5 @32`).
        public var label: String {
            model + (widthMultiplier == 1 ? "" : " ×\(widthMultiplier)") + (paddedSize.map { " @\($0)" } ?? "")
        }
    }

    /// The small member of each family that suits 28x28 inputs: two hand-sized CNNs, VGG, a CIFAR
    /// ResNet and its plain twin, MobileNetV2 at half width on zero-padded 32x32 images (its five
    /// stride-2 stages need at least 32 pixels), and the CIFAR ConvNeXt.
    public static let smallModels: [Candidate] = [
        Candidate("lenet5"), Candidate("fashion-cnn"), Candidate("vgg_cifar"), Candidate("resnet20"), Candidate("plain20"),
        Candidate("mobilenet_v2", widthMultiplier: 0.5, paddedSize: 32), Candidate("convnext_cifar"),
    ]

    /// What one candidate achieved and cost.
    public struct Result: Sendable {
        public var candidate: Candidate
        /// Test accuracy after the last epoch, in 0…1.
        public var accuracy: Double
        public var parameters: Int
        /// Multiply-accumulates of one image's forward pass (at the padded size, when padded).
        public var multiplyAccumulates: Int
        /// Seconds spent in training steps (evaluation excluded).
        public var trainingSeconds: Double
        /// Median seconds of one single-image forward pass (eval mode, no gradients).
        public var latencySeconds: Double
        /// Per-epoch metrics.
        public var history: [EpochMetrics]
    }

    /// Trains each candidate from seed `configuration.seed` on `train`, evaluates on `test`, and
    /// times single-image inference. `progress` hears each candidate's training events.
    public static func run(_ candidates: [Candidate], train: ImageDataset, test: ImageDataset, normalization: Normalization?,
                           configuration: TrainingConfiguration,
                           progress: (Candidate, TrainingEvent) -> Void = { _, _ in }) throws -> [Result] {
        try candidates.map { candidate in
            var rng = RandomGenerator(seed: configuration.seed)
            let inner = try ModelRegistry.make(candidate.model, options: ModelOptions(
                classes: train.classNames.count, inputChannels: train.channels, widthMultiplier: candidate.widthMultiplier), using: &rng)
            let model = candidate.paddedSize.map { ZeroPadded(inner, to: $0) } ?? inner
            let trainLoader = try DataLoader(dataset: train, batchSize: configuration.batchSize, shuffle: true,
                                             normalization: normalization, seed: configuration.seed)
            let testLoader = try DataLoader(dataset: test, batchSize: 500, shuffle: false, normalization: normalization)
            let trainer = try Trainer(model: model, train: trainLoader, test: testLoader, classes: train.classNames.count,
                                      configuration: configuration)
            let history = try trainer.fit { progress(candidate, $0) }
            let summary = try ModelSummary(model: inner, input: [1, train.channels, candidate.paddedSize ?? train.height,
                                                                 candidate.paddedSize ?? train.width])
            return Result(candidate: candidate, accuracy: history.last?.testAccuracy ?? 0, parameters: inner.parameterCount,
                          multiplyAccumulates: summary.multiplyAccumulates,
                          trainingSeconds: history.reduce(0) { $0 + Double(train.count) / max($1.imagesPerSecond, 1e-9) },
                          latencySeconds: try latency(of: model, input: [1, train.channels, train.height, train.width]),
                          history: history)
        }
    }

    /// Median seconds of `repeats` forward passes of a random input in evaluation mode, after warm-up.
    static func latency(of model: Module, input: [Int], repeats: Int = 21) throws -> Double {
        var rng = RandomGenerator(seed: 1)
        let x = Variable(Tensor.normal(input, using: &rng))
        model.eval()
        var times: [Double] = []
        try GradMode.withoutGradients {
            for _ in 0..<3 { _ = try model(x) }
            for _ in 0..<repeats {
                let start = now()
                _ = try model(x)
                times.append(now() - start)
            }
        }
        return times.sorted()[repeats / 2]
    }
}

/// Runs `inner` on its input zero-padded (centred) to `size`x`size`: lets a model that needs
/// larger images see small ones unchanged rather than resampled.
final class ZeroPadded: Module {
    let inner: Module
    let size: Int

    init(_ inner: Module, to size: Int) {
        self.inner = inner; self.size = size
        super.init()
        registerModule("model", inner)
    }

    override func forward(_ x: Variable) throws -> Variable {
        let s = x.shape  // (N, C, H, W)
        guard s.count == 4, s[2] <= size, s[3] <= size else {
            throw ShapeError(layer: "padding", expected: "input (N, C, H, W) of at most \(size)x\(size)", actual: s)
        }
        func zeros(_ shape: [Int]) -> Variable { Variable(Tensor(shape: shape)) }
        func pad(_ y: Variable, dim: Int) throws -> Variable {
            let missing = size - y.shape[dim], before = missing / 2, after = missing - before
            guard missing > 0 else { return y }
            var shape = y.shape
            var parts: [Variable] = []
            if before > 0 { shape[dim] = before; parts.append(zeros(shape)) }
            parts.append(y)
            if after > 0 { shape[dim] = after; parts.append(zeros(shape)) }
            return try concat(parts, dim: dim)
        }
        return try inner(pad(pad(x, dim: 2), dim: 3))
    }
}
