import FoveaData
import FoveaTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What happens during training, for progress bars and logs.
public enum TrainingEvent: Sendable {
    /// After each optimizer step.
    case step(StepMetrics)
    /// After each epoch's evaluation.
    case epoch(EpochMetrics)
}

/// Metrics of one optimizer step.
public struct StepMetrics: Sendable, Codable, Equatable {
    public var epoch: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    public var step: Int
    public var loss: Double
    public var accuracy: Double
    public var learningRate: Double
    public var imagesPerSecond: Double
}

/// Metrics of one epoch: training averages and the test evaluation.
public struct EpochMetrics: Sendable, Codable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var testLoss: Double
    public var testAccuracy: Double
    public var seconds: Double
    public var imagesPerSecond: Double
}

/// Training stopped because a loss or gradient stopped being a finite number.
public struct NonFiniteError: Error, CustomStringConvertible {
    public var step: Int
    /// The first parameter (in model order) whose gradient was not finite, or "loss".
    public var location: String
    public var description: String {
        "training diverged at step \(step): non-finite value in \(location). Try a lower learning rate."
    }
}

/// The training loop: forward, zero-grad, backward, step — kept visible in `trainEpoch`.
public final class Trainer {
    public let model: Module
    public let configuration: TrainingConfiguration
    public let optimizer: Optimizer
    public let schedule: LearningRateSchedule
    public let trainLoader: DataLoader
    public let testLoader: DataLoader
    public let classes: Int
    /// Updates made so far.
    public private(set) var step = 0

    public init(model: Module, train: DataLoader, test: DataLoader, classes: Int, configuration: TrainingConfiguration) throws {
        try configuration.validate()
        self.model = model
        self.configuration = configuration
        self.trainLoader = train
        self.testLoader = test
        self.classes = classes
        self.optimizer = try configuration.makeOptimizer(model.namedParameters())
        self.schedule = configuration.makeSchedule(totalSteps: configuration.epochs * train.batchCount,
                                                   stepsPerEpoch: train.batchCount)
    }

    /// Trains every epoch, evaluating on the test split after each, and reports progress.
    public func fit(_ report: (TrainingEvent) -> Void = { _ in }) throws -> [EpochMetrics] {
        var history: [EpochMetrics] = []
        for epoch in 0..<configuration.epochs {
            history.append(try trainEpoch(epoch, report))
            report(.epoch(history.last!))
        }
        return history
    }

    /// One pass over the training split, then an evaluation on the test split.
    public func trainEpoch(_ epoch: Int, _ report: (TrainingEvent) -> Void = { _ in }) throws -> EpochMetrics {
        model.train()
        let start = now()
        var lossSum = 0.0, correct = 0, seen = 0
        for batch in trainLoader.batches(epoch: epoch) {
            let stepStart = now()
            optimizer.learningRate = schedule.learningRate(at: step)
            if let m = schedule.momentum(at: step) { setMomentum(m) }

            let logits = try model(Variable(batch.images))
            let loss = try crossEntropy(logits, targets: batch.labels, labelSmoothing: configuration.labelSmoothing)
            model.zeroGrad()
            loss.backward()
            try checkFinite(loss)
            optimizer.step()
            step += 1

            let lossValue = Double(loss.value.storage[0])
            let hits = zip(argmax(logits.value), batch.labels).filter { $0 == $1 }.count
            lossSum += lossValue * Double(batch.labels.count)
            correct += hits
            seen += batch.labels.count
            report(.step(StepMetrics(epoch: epoch, batch: step - epoch * trainLoader.batchCount - 1,
                                     batchesPerEpoch: trainLoader.batchCount, step: step, loss: lossValue,
                                     accuracy: Double(hits) / Double(batch.labels.count),
                                     learningRate: Double(optimizer.learningRate),
                                     imagesPerSecond: Double(batch.labels.count) / max(now() - stepStart, 1e-9))))
        }
        let trainSeconds = now() - start
        let test = try evaluate(model, on: testLoader, classes: classes)
        return EpochMetrics(epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
                            trainAccuracy: Double(correct) / Double(max(seen, 1)), testLoss: test.loss,
                            testAccuracy: test.accuracy, seconds: now() - start,
                            imagesPerSecond: Double(seen) / max(trainSeconds, 1e-9))
    }

    private func setMomentum(_ m: Float) {
        if let sgd = optimizer as? SGD, sgd.momentum > 0 { sgd.momentum = m }
        if let adam = optimizer as? Adam { adam.beta1 = m }
    }

    /// Throws `NonFiniteError` naming the step and the first parameter with a NaN or Inf gradient.
    private func checkFinite(_ loss: Variable) throws {
        guard loss.value.storage[0].isFinite else { throw NonFiniteError(step: step, location: "loss") }
        for (name, p) in model.namedParameters() {
            if let g = p.grad, !g.storage.allSatisfy(\.isFinite) {
                throw NonFiniteError(step: step, location: "gradient of \(name)")
            }
        }
    }
}

/// Seconds on a monotonic clock.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
