import Foundation
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
    /// "loss", or the first parameter (in model order) whose gradient was not finite.
    public var location: String
    /// The last checkpoint written before the failure, if any.
    public var lastGoodCheckpoint: String?
    public var description: String {
        "training diverged at step \(step): NaN or Inf in \(location). "
            + (lastGoodCheckpoint.map { "Last good checkpoint: \($0). " } ?? "No checkpoint was written yet. ")
            + "Try a lower learning rate."
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
    public internal(set) var step = 0
    /// Per-epoch metrics so far.
    public internal(set) var history: [EpochMetrics] = []
    /// Records per-layer training health every `interval` steps when set.
    public var health: HealthMonitor?
    /// Where `fit` writes `last` and `best` checkpoints after each epoch, when set (else into
    /// `runFolder`'s checkpoints, when that is set).
    public var checkpointFolder: URL?
    /// Where `fit` records each epoch (metrics, health, evaluation, summary, charts), before that
    /// epoch's checkpoints, when set.
    public var runFolder: RunFolder?
    /// Class names for the run folder's summary and confusion chart.
    public var classNames: [String] = []
    /// Names stored in checkpoints.
    public var modelName = "model", datasetName = "dataset"
    /// The number of training images when the caller trains on the first N only (`--train-limit`);
    /// recorded in checkpoints so a resume checks it.
    public var trainLimit: Int?
    /// The test evaluation of the latest epoch trained.
    public private(set) var lastEvaluation: Evaluation?
    var bestAccuracy = -1.0, bestEpoch = 0
    var lastCheckpoint: String?
    private let reports = BackgroundJobs()

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

    /// Trains the remaining epochs, evaluating on the test split and checkpointing after each.
    /// `report` sees every step and epoch; throwing from it stops training (after the last checkpoint).
    public func fit(_ report: (TrainingEvent) throws -> Void = { _ in }) throws -> [EpochMetrics] {
        defer { reports.wait() }
        for epoch in history.count..<configuration.epochs {
            let metrics = try trainEpoch(epoch, report)
            history.append(metrics)
            if metrics.testAccuracy > bestAccuracy { bestAccuracy = metrics.testAccuracy; bestEpoch = epoch + 1 }
            // Metrics and health before the checkpoints: a kill between them leaves them an epoch
            // ahead, which the resumed run rewrites, never a checkpoint whose health records are lost.
            // Charts and summary are drawn off the training thread (PNG drawing takes ~0.2 s).
            if let run = runFolder, let evaluation = lastEvaluation {
                try run.recordProgress(history: history, health: health?.records ?? [])
                let (configuration, history, classNames) = (runConfiguration, history, classNames)
                reports.submit { try run.recordReport(configuration, history: history, evaluation: evaluation, classNames: classNames) }
            }
            if let folder = checkpointFolder ?? runFolder?.checkpoints {
                try saveCheckpoint("last", in: folder)
                if bestEpoch == epoch + 1 { try saveCheckpoint("best", in: folder) }
            }
            try report(.epoch(metrics))
        }
        runFolder?.chartNote = try reports.finish()
        return history
    }

    /// The metadata a checkpoint of the current state holds.
    public var checkpointMetadata: CheckpointMetadata {
        CheckpointMetadata(model: modelName, dataset: datasetName, configuration: configuration, epoch: history.count, step: step,
                           loaderPosition: DataLoaderPosition(seed: trainLoader.seed, epoch: history.count, batch: 0),
                           randomStates: model.randomStates, bestAccuracy: bestAccuracy, bestEpoch: bestEpoch, history: history,
                           trainLimit: trainLimit)
    }

    /// The run's configuration as `config.json` records it.
    public var runConfiguration: RunConfiguration {
        RunConfiguration(model: modelName, dataset: datasetName, training: configuration, trainLimit: trainLimit)
    }

    /// Writes checkpoint `name` ("last", "best") of the current state.
    public func saveCheckpoint(_ name: String, in folder: URL) throws {
        try Checkpoint.save(checkpointMetadata, model: model, optimizer: optimizer, name: name, in: folder)
        lastCheckpoint = folder.appendingPathComponent(name + ".safetensors").path
    }

    /// One pass over the training split, then an evaluation on the test split.
    public func trainEpoch(_ epoch: Int, _ report: (TrainingEvent) throws -> Void = { _ in }) throws -> EpochMetrics {
        model.train()
        let start = now()
        var lossSum = 0.0, correct = 0, seen = 0
        for batch in trainLoader.batches(epoch: epoch) {
            let stepStart = now()
            optimizer.learningRate = schedule.learningRate(at: step)
            if let m = schedule.momentum(at: step) { optimizer.setMomentum(m) }

            let capture = health.map { $0.isDue(step) ? ActivationCapture() : nil } ?? nil
            let forward = { try self.model(Variable(batch.images)) }
            let logits = try capture.map { try $0.during(forward) } ?? forward()
            let loss = try crossEntropy(logits, targets: batch.labels, labelSmoothing: configuration.labelSmoothing)
            model.zeroGrad()
            loss.backward()
            try checkFinite(loss, input: batch.images)
            let before = capture == nil ? [:] : Dictionary(uniqueKeysWithValues: model.parameters.map { (ObjectIdentifier($0), $0.value) })
            optimizer.step()
            if let capture { health?.record(step: step, model: model, capture: capture, before: before) }
            step += 1

            let lossValue = Double(loss.value.storage[0])
            let hits = zip(logits.value.argmaxRows(), batch.labels).filter { $0 == $1 }.count
            lossSum += lossValue * Double(batch.labels.count)
            correct += hits
            seen += batch.labels.count
            try report(.step(StepMetrics(epoch: epoch, batch: step - epoch * trainLoader.batchCount - 1,
                                     batchesPerEpoch: trainLoader.batchCount, step: step, loss: lossValue,
                                     accuracy: Double(hits) / Double(batch.labels.count),
                                     learningRate: Double(optimizer.learningRate),
                                     imagesPerSecond: Double(batch.labels.count) / max(now() - stepStart, 1e-9))))
        }
        let trainSeconds = now() - start
        let test = try evaluate(model, on: testLoader, classes: classes)
        lastEvaluation = test
        return EpochMetrics(epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
                            trainAccuracy: Double(correct) / Double(max(seen, 1)), testLoss: test.loss,
                            testAccuracy: test.accuracy, seconds: now() - start,
                            imagesPerSecond: Double(seen) / max(trainSeconds, 1e-9))
    }

    /// Throws `NonFiniteError` naming the step and the first parameter with a NaN or Inf gradient.
    private func checkFinite(_ loss: Variable, input: Tensor) throws {
        guard loss.value.storage[0].isFinite else {
            // Re-run the forward pass with every layer captured to find where the values broke.
            let capture = ActivationCapture()
            _ = try? GradMode.withoutGradients { try capture.during { try model(Variable(input)) } }
            let first = capture.outputs.first { !$0.variable.value.storage.allSatisfy(\.isFinite) }
            let location = first.map { "the output of layer \($0.name)" } ?? (input.storage.allSatisfy(\.isFinite) ? "the loss" : "the input batch")
            throw NonFiniteError(step: step, location: location, lastGoodCheckpoint: lastCheckpoint)
        }
        for p in model.namedParameters() {
            if let g = p.variable.grad, !g.storage.allSatisfy(\.isFinite) {
                throw NonFiniteError(step: step, location: "the gradient of \(p.name)", lastGoodCheckpoint: lastCheckpoint)
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
