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
    /// The checkpoint used: "best" when present, else "last".
    public let checkpointName: String

    /// Opens `path`. `classes`/`inputChannels` must match the training data.
    public init(path: String, classes: Int, inputChannels: Int, checkpoint preferred: String? = nil) throws {
        folder = URL(fileURLWithPath: path, isDirectory: true)
        let configURL = folder.appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: configURL) else {
            throw CheckpointError(file: configURL.path, "cannot be read; is \(path) a run folder written by `fovea train`?")
        }
        do { configuration = try JSONDecoder().decode(RunConfiguration.self, from: data) } catch {
            throw CheckpointError(file: configURL.path, "is not a run configuration (\(error))")
        }
        let checkpoints = folder.appendingPathComponent("checkpoints")
        let name = preferred ?? (FileManager.default.fileExists(atPath: checkpoints.appendingPathComponent("best.json").path) ? "best" : "last")
        checkpointName = name
        checkpoint = try Checkpoint.metadata(name: name, in: checkpoints)
        var rng = RandomGenerator(seed: 0)
        model = try ModelRegistry.make(configuration.model, classes: classes, inputChannels: inputChannels, rng: &rng)
        try model.load(from: checkpoints.appendingPathComponent(name + ".safetensors"))
        model.eval()
    }
}
