import Foundation

/// What a folder holds, looked at before training into it.
public enum RunFolderState: Equatable, Sendable, CustomStringConvertible {
    /// Absent, or empty apart from stale temporary files.
    case empty
    /// A run whose `last` checkpoint has completed every epoch.
    case finished(RunConfiguration)
    /// A run folder (`config.json` or `checkpoints/`) that has not completed every epoch: still
    /// training, or stopped. `configuration` is nil when neither config.json nor a checkpoint can be read.
    case interrupted(RunConfiguration?, epochsDone: Int)
    /// Files that are not a Fovea run.
    case foreign

    /// "a finished run (lenet5 on fashion-mnist, 10 epochs)", for messages.
    public var description: String {
        switch self {
        case .empty: return "nothing"
        case .finished(let c): return "a finished run (\(c.model) on \(c.dataset), \(c.training.epochs) epoch\(c.training.epochs == 1 ? "" : "s"))"
        case .interrupted(let c?, let done):
            return "an unfinished run (\(c.model) on \(c.dataset), \(done) of \(c.training.epochs) epochs done)"
        case .interrupted(nil, _): return "an unreadable run (no readable config.json or checkpoint)"
        case .foreign: return "files that are not a Fovea run"
        }
    }
}

extension RunFolder {
    /// What the folder at `path` holds.
    public static func state(at path: String) -> RunFolderState {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue { return .foreign }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if entries.allSatisfy({ StaleTemporaryFile(name: $0) != nil }) { return .empty }
        let checkpoints = url.appendingPathComponent("checkpoints", isDirectory: true)
        guard entries.contains("config.json") || entries.contains("checkpoints") else { return .foreign }
        let configuration = try? readConfiguration(at: path)
        let last = try? Checkpoint.metadata(name: "last", in: checkpoints)
        let best = try? Checkpoint.metadata(name: "best", in: checkpoints)
        let done = max(last?.epoch ?? 0, best?.epoch ?? 0)
        if let configuration, let last, last.epoch >= last.configuration.epochs, last.configuration == configuration.training {
            return .finished(configuration)
        }
        return .interrupted(configuration, epochsDone: done)
    }
}
