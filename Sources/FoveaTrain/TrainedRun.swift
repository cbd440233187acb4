import Foundation
import FoveaData
import FoveaModels
import FoveaTensor

/// A finished (or interrupted) run folder opened for use: its configuration, its model rebuilt
/// from the registry with the checkpoint's weights, in evaluation mode.
public struct TrainedRun {
    public let folder: URL
    public let configuration: RunConfiguration
    public let checkpoint: CheckpointMetadata
    public let model: Module
    /// The checkpoint used: "best" when it is complete, else "last" (or the one asked for).
    public let checkpointName: String
    /// Epochs the run has completed (its newest checkpoint).
    public let epochsCompleted: Int
    /// Checkpoints that exist but were not used, and why (a write torn by a kill).
    public let skipped: [String]

    /// Whether the run completed every epoch (false while it trains, or after it was stopped).
    public var isFinished: Bool { epochsCompleted >= configuration.training.epochs }

    /// Which checkpoint, for headings: "best checkpoint (epoch 7)", plus "; the run stopped after
    /// epoch 8 of 10" when it has not finished.
    public var checkpointDescription: String {
        "\(checkpointName) checkpoint (epoch \(checkpoint.epoch))"
            + (isFinished ? "" : "; the run stopped after epoch \(epochsCompleted) of \(configuration.training.epochs)")
    }

    /// What loading the weights found (NaN or infinite values), for the caller to show.
    public let weightReport: WeightLoadReport

    /// Opens `path`. `classes`/`inputChannels` must match the training data. Without `preferred`,
    /// uses "best", or "last" when best is missing or torn; an interrupted run opens the same way.
    /// Weights holding NaN or infinite values are reported in `weightReport` (`.warn`) or refused (`.fail`).
    public init(path: String, classes: Int, inputChannels: Int, checkpoint preferred: String? = nil,
                nonFinite policy: NonFinitePolicy = .warn) throws {
        folder = URL(fileURLWithPath: path, isDirectory: true)
        configuration = try RunFolder.readConfiguration(at: path)
        let checkpoints = folder.appendingPathComponent("checkpoints")
        var skipped: [String] = [], reasons: [String] = []
        var found: (String, LoadedCheckpoint)?
        for name in preferred.map({ [$0] }) ?? ["best", "last"] {
            do {
                found = try (name, Checkpoint.read(name: name, in: checkpoints))
                break
            } catch {
                if preferred != nil { throw error }
                reasons.append("\(error)")
                if FileManager.default.fileExists(atPath: checkpoints.appendingPathComponent(name + ".json").path) { skipped.append("\(error)") }
            }
        }
        guard let found else {
            throw CheckpointError(file: checkpoints.path, "holds no complete checkpoint (\(reasons.joined(separator: "; ")))")
        }
        let (name, loaded) = found
        checkpointName = name
        checkpoint = loaded.metadata
        self.skipped = skipped
        let newest = try? Checkpoint.metadata(name: "last", in: checkpoints)
        epochsCompleted = max(loaded.metadata.epoch, newest?.epoch ?? 0)
        var rng = RandomGenerator(seed: 0)
        model = try ModelRegistry.make(configuration.model, classes: classes, inputChannels: inputChannels, using: &rng)
        let weightsFile = checkpoints.appendingPathComponent(name + ".safetensors").path
        weightReport = WeightLoadReport(file: weightsFile, tensors: loaded.weights)
        try weightReport.enforce(policy)
        do { try model.loadStateDict(loaded.weights) } catch let error as StateDictError {
            throw CheckpointError(file: weightsFile, error.oneLine)
        }
        model.eval()
    }
}
