import Foundation

/// Where `Trainer.resumeFromNewestCheckpoint` continues.
public struct ResumePoint: Sendable {
    /// The checkpoint used ("last" or "best"); nil when none is complete, so training starts at epoch 1.
    public var checkpoint: String?
    /// Checkpoints that exist but were not used, with why (e.g. torn by a kill during their write).
    public var skipped: [String]
}

extension Trainer {
    /// Continues from checkpoint `name` in `folder`: weights, optimizer, schedule position, data order
    /// and dropout generators, so the run ends with the same weights as an uninterrupted one. Health
    /// records of `runFolder` from before the checkpoint's step are kept (those of redone steps are
    /// dropped). Throws `ResumeMismatchError` when the checkpoint was trained with other settings.
    public func resume(from name: String = "last", in folder: URL) throws {
        let loaded = try Checkpoint.read(name: name, in: folder)
        try resume(from: loaded, name: name, in: folder)
    }

    /// Continues from the newest complete checkpoint in `folder` (`last`, or `best` when `last` is
    /// torn or missing); with none, nothing changes and training starts from the beginning.
    public func resumeFromNewestCheckpoint(in folder: URL) throws -> ResumePoint {
        var candidates: [(name: String, step: Int)] = []
        var skipped: [String] = []
        for name in ["last", "best"] where FileManager.default.fileExists(atPath: folder.appendingPathComponent(name + ".json").path) {
            let meta: CheckpointMetadata
            do { meta = try Checkpoint.metadata(name: name, in: folder) } catch {
                skipped.append("\(error)")
                continue
            }
            try checkSettings(meta, name: name, in: folder)
            candidates.append((name, meta.step))
        }
        for candidate in candidates.sorted(by: { $0.step > $1.step }) {
            let loaded: LoadedCheckpoint
            do { loaded = try Checkpoint.read(name: candidate.name, in: folder) } catch {
                skipped.append("\(error)")
                continue
            }
            try resume(from: loaded, name: candidate.name, in: folder)
            return ResumePoint(checkpoint: candidate.name, skipped: skipped)
        }
        return ResumePoint(checkpoint: nil, skipped: skipped)
    }

    private func resume(from loaded: LoadedCheckpoint, name: String, in folder: URL) throws {
        let meta = loaded.metadata
        try checkSettings(meta, name: name, in: folder)
        var kept: [LayerHealth] = []
        if health != nil, let run = runFolder {
            kept = try (HealthReport.readRecords(from: run.url) ?? []).filter { $0.step < meta.step }
        }
        try Checkpoint.apply(loaded, name: name, in: folder, model: model, optimizer: optimizer)
        step = meta.step
        history = meta.history
        bestAccuracy = meta.bestAccuracy
        bestEpoch = meta.bestEpoch
        lastCheckpoint = folder.appendingPathComponent(name + ".safetensors").path
        health?.restore(kept)
    }

    /// Throws `ResumeMismatchError` unless the checkpoint was trained with this trainer's settings.
    private func checkSettings(_ meta: CheckpointMetadata, name: String, in folder: URL) throws {
        let saved = RunConfiguration(model: meta.model, dataset: meta.dataset, training: meta.configuration, trainLimit: meta.trainLimit)
        let differences = saved.differences(to: runConfiguration)
        guard differences.isEmpty else {
            throw ResumeMismatchError(folder: runFolder?.path ?? folder.appendingPathComponent(name + ".json").path, differences: differences)
        }
    }
}
