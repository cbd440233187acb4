import Foundation
import FoveaData
import FoveaTensor

/// A training checkpoint: `NAME.safetensors` (the model's state dict, torchvision key names — it
/// loads in PyTorch as is), `NAME.optimizer.safetensors` (the optimizer's buffers) and `NAME.json`
/// (this metadata). Each file is written atomically; the JSON is written last and records the step,
/// which both safetensors files also carry, so a torn set of files is detected on load.
public struct CheckpointMetadata: Codable, Equatable, Sendable {
    /// The format version of this metadata.
    public var version = 1
    public var model: String
    public var dataset: String
    public var configuration: TrainingConfiguration
    /// Epochs completed.
    public var epoch: Int
    /// Optimizer updates made.
    public var step: Int
    /// Where the data loader continues.
    public var loaderPosition: DataLoaderPosition
    /// Generators of dropout / stochastic-depth layers by module path.
    public var randomStates: [String: [UInt64]]
    /// The best test accuracy so far and the epoch (1-based) that reached it.
    public var bestAccuracy: Double
    public var bestEpoch: Int
    /// Per-epoch metrics so far.
    public var history: [EpochMetrics]
    /// Training used only the first `trainLimit` training images; nil: all (and in older checkpoints).
    public var trainLimit: Int?
}

/// A checkpoint's three files read and checked against each other, not yet applied to a model.
public struct LoadedCheckpoint {
    /// `NAME.json`.
    public var metadata: CheckpointMetadata
    /// The state dict of `NAME.safetensors`.
    public var weights: StateDict
    /// The optimizer buffers of `NAME.optimizer.safetensors`.
    public var optimizerState: StateDict
}

/// Reads and writes checkpoints in a folder.
public enum Checkpoint {
    /// Writes the three files of checkpoint `name` (e.g. "last", "best") into `folder`.
    public static func save(_ metadata: CheckpointMetadata, model: Module, optimizer: Optimizer, name: String, in folder: URL) throws {
        let tag = ["step": String(metadata.step), "model": metadata.model]
        try model.save(to: folder.appendingPathComponent(name + ".safetensors"), metadata: tag)
        try Safetensors.write(optimizer.state, metadata: tag,
                              to: folder.appendingPathComponent(name + ".optimizer.safetensors"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(metadata), to: folder.appendingPathComponent(name + ".json"))
    }

    /// Reads checkpoint `name`'s metadata.
    public static func metadata(name: String, in folder: URL) throws -> CheckpointMetadata {
        let url = folder.appendingPathComponent(name + ".json")
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError(file: url.path, "\(ErrorPhrase.fileRead(error)); is this a Fovea run folder?")
        }
        do { return try JSONDecoder().decode(CheckpointMetadata.self, from: data) } catch {
            throw CheckpointError(file: url.path, "is not valid checkpoint metadata: \(ErrorPhrase.decoding(error))")
        }
    }

    /// Reads checkpoint `name` and checks that its files belong together (the step each records):
    /// a checkpoint torn by a kill during its write throws here, before anything is changed.
    public static func read(name: String, in folder: URL) throws -> LoadedCheckpoint {
        let meta = try metadata(name: name, in: folder)
        let weightsURL = folder.appendingPathComponent(name + ".safetensors")
        let optimizerURL = folder.appendingPathComponent(name + ".optimizer.safetensors")
        let weights = try Safetensors.read(weightsURL)
        let state = try Safetensors.read(optimizerURL)
        for (url, tag) in [(weightsURL, weights.metadata), (optimizerURL, state.metadata)] where tag["step"] != String(meta.step) {
            throw CheckpointError(file: url.path, "was written at step \(tag["step"] ?? "?"), but \(name).json is at step \(meta.step); the checkpoint is incomplete")
        }
        return LoadedCheckpoint(metadata: meta, weights: weights.tensors, optimizerState: state.tensors)
    }

    /// Restores model weights and optimizer state of checkpoint `name`; throws if the files disagree
    /// with each other or with the model (nothing in the model changes then).
    public static func restore(name: String, in folder: URL, model: Module, optimizer: Optimizer) throws -> CheckpointMetadata {
        let loaded = try read(name: name, in: folder)
        try apply(loaded, name: name, in: folder, model: model, optimizer: optimizer)
        return loaded.metadata
    }

    /// Puts a read checkpoint's weights, optimizer buffers and dropout generators into place.
    /// Weights holding NaN or infinite values are refused: training cannot continue from them.
    public static func apply(_ loaded: LoadedCheckpoint, name: String, in folder: URL, model: Module, optimizer: Optimizer) throws {
        let weightsFile = folder.appendingPathComponent(name + ".safetensors").path
        try WeightLoadReport(file: weightsFile, tensors: loaded.weights).enforce(.fail)
        do { try model.loadStateDict(loaded.weights) } catch let error as StateDictError {
            throw CheckpointError(file: weightsFile, "does not fit model \(loaded.metadata.model): \(error.oneLine)")
        }
        try optimizer.loadState(loaded.optimizerState)
        try model.restoreRandomStates(loaded.metadata.randomStates)
    }
}
