import FoveaData
import FoveaModels
import FoveaTensor

/// Which optimizer a training run uses.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
    case sgd, adamw
}

/// Which learning-rate schedule a training run uses.
public enum ScheduleKind: String, Codable, Sendable, CaseIterable {
    /// Linear warm-up over the first epoch's steps (capped at 10% of training), then cosine decay to 0.
    case cosine
    /// Smith & Topin's one-cycle policy with `learningRate` as its peak.
    case onecycle
    /// ×0.1 every third of training.
    case step
    /// A constant rate.
    case constant
}

/// Named augmentation recipes for `fovea train --augment`.
public enum AugmentationPreset: String, Codable, Sendable, CaseIterable {
    case none
    /// Horizontal flips with probability ½.
    case flip
    /// Random crop with 2-pixel padding (for 28x28; 4 for 32x32) and horizontal flips.
    case cropFlip = "crop-flip"
    /// As `crop-flip`, plus random erasing (Zhong et al. 2017) with probability ½.
    case cropFlipErase = "crop-flip-erase"

    /// The pipeline settings for images of side `size`.
    public func augmentation(imageSize size: Int) -> Augmentation {
        let pad = size <= 28 ? 2 : 4
        switch self {
        case .none: return .none
        case .flip: return Augmentation(horizontalFlipProbability: 0.5)
        case .cropFlip: return Augmentation(cropPadding: pad, horizontalFlipProbability: 0.5)
        case .cropFlipErase: return Augmentation(cropPadding: pad, horizontalFlipProbability: 0.5, erasing: RandomErasing())
        }
    }
}

/// The hyperparameters of a training run (saved as the run's `config.json`).
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var epochs: Int = 5
    public var batchSize: Int = 64
    public var optimizer: OptimizerKind = .sgd
    public var learningRate: Float = 0.05
    public var momentum: Float = 0.9
    public var nesterov: Bool = true
    public var weightDecay: Float = 5e-4
    public var schedule: ScheduleKind = .cosine
    public var labelSmoothing: Float = 0
    public var augmentation: AugmentationPreset = .none
    public var seed: UInt64 = 0

    public init() {}

    /// Settings that train a network of `style` well on 28x28 / 32x32 data in a few epochs on a
    /// CPU: what `fovea train` uses for every option not given.
    public static func recommended(for style: ModelRegistry.Entry.TrainingStyle) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.epochs = 10
        switch style {
        case .plain:
            c.batchSize = 64; c.learningRate = 0.05
        case .adamW:
            c.batchSize = 128; c.optimizer = .adamw; c.learningRate = 2e-3; c.weightDecay = 0.05; c.augmentation = .cropFlip
        case .batchNormalized:
            c.batchSize = 128; c.learningRate = 0.1; c.augmentation = .cropFlip
        }
        return c
    }

    /// The recommended settings for zoo model `name` (its registry entry's training style).
    public static func recommended(for model: String) throws -> TrainingConfiguration {
        recommended(for: try ModelRegistry.entry(named: model).trainingStyle)
    }

    /// Decodes a saved configuration; settings missing from older files take their defaults.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfiguration()
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        optimizer = try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? d.optimizer
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate
        momentum = try c.decodeIfPresent(Float.self, forKey: .momentum) ?? d.momentum
        nesterov = try c.decodeIfPresent(Bool.self, forKey: .nesterov) ?? d.nesterov
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay
        schedule = try c.decodeIfPresent(ScheduleKind.self, forKey: .schedule) ?? d.schedule
        labelSmoothing = try c.decodeIfPresent(Float.self, forKey: .labelSmoothing) ?? d.labelSmoothing
        augmentation = try c.decodeIfPresent(AugmentationPreset.self, forKey: .augmentation) ?? d.augmentation
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
    }

    /// Throws a `ConfigurationError` naming the first invalid setting.
    public func validate() throws {
        guard epochs > 0 else { throw ConfigurationError(owner: "training", "epochs must be positive, got \(epochs)") }
        guard batchSize > 0 else { throw ConfigurationError(owner: "training", "batch size must be positive, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw ConfigurationError(owner: "training", "learning rate must be a positive number, got \(learningRate)")
        }
        guard weightDecay >= 0 else { throw ConfigurationError(owner: "training", "weight decay must be ≥ 0, got \(weightDecay)") }
        guard (0..<1).contains(labelSmoothing) else {
            throw ConfigurationError(owner: "training", "label smoothing must be in [0, 1), got \(labelSmoothing)")
        }
    }

    /// The optimizer over `parameters` (weight decay on every parameter, as PyTorch's default).
    public func makeOptimizer(_ parameters: [NamedParameter]) throws -> Optimizer {
        switch optimizer {
        case .sgd:
            return try SGD(parameters, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay,
                           nesterov: nesterov && momentum > 0)
        case .adamw:
            return try Adam.adamW(parameters, learningRate: learningRate, weightDecay: weightDecay)
        }
    }

    /// The schedule over `totalSteps` updates, `stepsPerEpoch` to an epoch.
    public func makeSchedule(totalSteps: Int, stepsPerEpoch: Int) -> LearningRateSchedule {
        switch schedule {
        case .cosine:
            return WarmupCosineSchedule(baseLearningRate: learningRate, warmupSteps: min(stepsPerEpoch, totalSteps / 10),
                                        totalSteps: totalSteps)
        case .onecycle:
            return OneCycleSchedule(maxLearningRate: learningRate, totalSteps: totalSteps)
        case .step:
            return StepSchedule(baseLearningRate: learningRate, stepSize: max(1, totalSteps / 3), gamma: 0.1)
        case .constant:
            return StepSchedule(baseLearningRate: learningRate, stepSize: Int.max, gamma: 1)
        }
    }
}
