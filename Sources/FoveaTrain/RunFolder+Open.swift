import Foundation
import FoveaTensor

/// How training treats what its run folder already holds.
public enum RunFolderMode: Sendable {
    /// The folder must be absent or empty.
    case new
    /// Continue the run there (or start one if the folder is empty or has no checkpoint yet); its
    /// saved configuration must equal the given one.
    case resume
    /// Delete the run there first (only a run folder: other files are never deleted).
    case overwrite
}

/// A run folder cannot be trained into as asked.
public struct RunFolderError: Error, CustomStringConvertible, Equatable {
    /// The folder, as the user named it.
    public var folder: String
    /// What is wrong and what to do, one line.
    public var message: String
    public init(folder: String, _ message: String) { self.folder = folder; self.message = message }
    public var description: String { "\(folder): \(message)" }
}

extension RunFolder {
    /// The files a run writes into its folder (and `fovea eval` / `diagnose` beside them), which
    /// `.overwrite` deletes; nothing else is.
    static let runFiles = ["config.json", "metrics.jsonl", "metrics.csv", "health.jsonl", "evaluation.json", "summary.md"]
        + ["loss", "accuracy", "confusion", "eval-confusion", "gradient-norm-vs-depth", "gradient-norm-vs-step"]
            .flatMap { [$0 + ".svg", $0 + ".png"] }
    static let checkpointFiles = ["last", "best"].flatMap { [$0 + ".safetensors", $0 + ".optimizer.safetensors", $0 + ".json"] }

    /// A run's configuration: its `config.json`, or for a run killed before config.json was
    /// written by older versions, what its checkpoint records.
    public static func readConfiguration(at path: String) throws -> RunConfiguration {
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        let url = folder.appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url) else {
            let checkpoints = folder.appendingPathComponent("checkpoints", isDirectory: true)
            if let meta = (try? Checkpoint.metadata(name: "last", in: checkpoints)) ?? (try? Checkpoint.metadata(name: "best", in: checkpoints)) {
                return RunConfiguration(model: meta.model, dataset: meta.dataset, training: meta.configuration, trainLimit: meta.trainLimit)
            }
            throw CheckpointError(file: url.path, "cannot be read; is \(path) a run folder written by `fovea train`?")
        }
        do { return try JSONDecoder().decode(RunConfiguration.self, from: data) } catch {
            throw CheckpointError(file: url.path, "is not a run configuration: \(ErrorPhrase.decoding(error))")
        }
    }

    /// Checks that `configuration` may be trained into the folder at `path` as `mode` asks (see
    /// `RunFolderMode`) without changing anything; returns the saved run's configuration, if any.
    @discardableResult
    public static func validate(path: String, mode: RunFolderMode, configuration: RunConfiguration) throws -> RunConfiguration? {
        let state = state(at: path)
        switch (mode, state) {
        case (_, .empty):
            return nil
        case (_, .foreign):
            throw RunFolderError(folder: path, "holds \(state); training writes only into an empty folder or a run folder, so choose another --out")
        case (.new, .finished):
            throw RunFolderError(folder: path, "already holds \(state); pass --overwrite to replace it, or choose another --out")
        case (.new, .interrupted):
            throw RunFolderError(folder: path, "already holds \(state); pass --resume to continue it or --overwrite to replace it, or choose another --out")
        case (.overwrite, _):
            return nil
        case (.resume, .interrupted(nil, _)):
            throw RunFolderError(folder: path, "holds \(state), so there is nothing to check --resume's options against; pass --overwrite to replace it")
        case (.resume, .finished(let saved)), (.resume, .interrupted(let saved?, _)):
            let differences = saved.differences(to: configuration)
            guard differences.isEmpty else { throw ResumeMismatchError(folder: path, differences: differences) }
            return saved
        }
    }

    /// Opens the folder at `path` for training `configuration` into it: refuses what `mode` does
    /// not allow (`validate`), deletes the old run for `.overwrite`, removes stale temporary files
    /// of killed writes, and writes `config.json` (a resumed run keeps its own).
    public static func open(path: String, mode: RunFolderMode, configuration: RunConfiguration) throws -> RunFolder {
        let saved = try validate(path: path, mode: mode, configuration: configuration)
        let folder = try RunFolder(path: path)
        if mode == .overwrite { try folder.removeRun() }
        folder.removeStaleTemporaryFiles()
        if !FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("config.json").path) || mode != .resume {
            try folder.writeConfiguration(saved ?? configuration)
        }
        return folder
    }

    /// Deletes the files of a run (and only those).
    func removeRun() throws {
        let targets = Self.runFiles.map { url.appendingPathComponent($0) } + Self.checkpointFiles.map { checkpoints.appendingPathComponent($0) }
        for target in targets where FileManager.default.fileExists(atPath: target.path) {
            do { try FileManager.default.removeItem(at: target) } catch {
                throw RunFolderError(folder: path, "cannot delete \(target.lastPathComponent) to overwrite the run (\(ErrorPhrase.fileRead(error)))")
            }
        }
        removeStaleTemporaryFiles()
        if (try? FileManager.default.contentsOfDirectory(atPath: checkpoints.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: checkpoints)
        }
    }

    /// Removes temporary files that a write killed half-way left behind (`writeAtomically`'s
    /// `.NAME.PID.RANDOM.tmp`) in the folder and `checkpoints/`: only those whose process is gone,
    /// or is this one (which has no write in flight while it opens a run).
    public func removeStaleTemporaryFiles() {
        for folder in [url, checkpoints] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                guard let file = StaleTemporaryFile(name: name), file.isStale else { continue }
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }
}
