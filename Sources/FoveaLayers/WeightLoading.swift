import Foundation
import FoveaTensor

/// What loading weights does when a tensor holds NaN or ±infinity (a diverged run's checkpoint, a
/// corrupt or tampered file): such weights load without complaint but make every output NaN.
public enum NonFinitePolicy: Sendable, Equatable {
    /// Load them, and say which tensors are affected in `WeightLoadReport.warning`.
    case warn
    /// Refuse the file with a `CheckpointError` naming the tensors; nothing changes.
    case fail
}

/// A tensor of a weights file that holds NaN or infinite values.
public struct NonFiniteTensor: Sendable, Equatable {
    /// The tensor's name in the file (`layer1.0.conv1.weight`).
    public var name: String
    /// How many of its elements are NaN or ±infinity.
    public var count: Int
    /// How many elements it has.
    public var elementCount: Int

    /// A record of `count` non-finite values among `elementCount` in tensor `name`.
    public init(name: String, count: Int, elementCount: Int) {
        self.name = name; self.count = count; self.elementCount = elementCount
    }
}

/// What loading a weights file found that the caller may want to tell the user about.
public struct WeightLoadReport: Sendable, Equatable {
    /// The file's path.
    public var file: String
    /// The tensors holding NaN or ±infinity, by name; empty when every value is finite.
    public var nonFinite: [NonFiniteTensor]

    /// Checks every value of `tensors` (as read from `file`).
    public init(file: String, tensors: StateDict) {
        self.file = file
        nonFinite = tensors.compactMap { name, tensor in
            let count = tensor.storage.withUnsafeBufferPointer { values in
                var count = 0
                for v in values where !v.isFinite { count += 1 }
                return count
            }
            return count == 0 ? nil : NonFiniteTensor(name: name, count: count, elementCount: tensor.storage.count)
        }.sorted { $0.name < $1.name }
    }

    /// One line for the user when some tensors are not finite, else nil:
    /// `"<file>: 2 tensors hold NaN or infinite values: conv1.weight (3 of 432), fc.bias (1 of 10)"`.
    public var warning: String? {
        nonFinite.isEmpty ? nil : "\(file): \(summary)"
    }

    /// Throws a `CheckpointError` naming the non-finite tensors when `policy` is `.fail`.
    public func enforce(_ policy: NonFinitePolicy) throws {
        guard policy == .fail, !nonFinite.isEmpty else { return }
        throw CheckpointError(file: file, "\(summary); refusing to load them")
    }

    /// "2 tensors hold NaN or infinite values: a (3 of 432), b (1 of 10)", listing at most five.
    private var summary: String {
        let shown = nonFinite.prefix(5).map { "\(messageSafe($0.name)) (\($0.count) of \($0.elementCount))" }
        let more = nonFinite.count > 5 ? " and \(nonFinite.count - 5) more" : ""
        let subject = nonFinite.count == 1 ? "1 tensor holds" : "\(nonFinite.count) tensors hold"
        return "\(subject) NaN or infinite values: \(shown.joined(separator: ", "))\(more)"
    }
}

extension Module {
    /// Saves the state dictionary (torchvision key names) as safetensors, atomically.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDict(), metadata: metadata, to: url)
    }

    /// Loads weights saved by `save(to:)` or converted from a torchvision model. Missing, unexpected
    /// and mis-shaped tensors are all listed; nothing changes unless everything fits.
    ///
    /// Tensors holding NaN or ±infinity are listed in the returned report (`.warn`, the default:
    /// show `report.warning` to the user) or make the load fail (`.fail`) before anything changes.
    @discardableResult
    public func load(from url: URL, nonFinite policy: NonFinitePolicy = .warn) throws -> WeightLoadReport {
        let (tensors, _) = try Safetensors.read(url)
        let report = WeightLoadReport(file: url.path, tensors: tensors)
        try report.enforce(policy)
        do { try loadStateDict(tensors) } catch let error as StateDictError {
            throw CheckpointError(file: url.path, error.oneLine)
        }
        return report
    }
}

extension StateDictError {
    /// The problems on one line, at most ten names per kind: unexpected names come from the file,
    /// which may hold thousands of them, or names with line breaks.
    /// `"state dict does not match the model: missing: a, b; unexpected: c and 3 more"`.
    public var oneLine: String {
        func list(_ names: [String]) -> String {
            let shown = names.prefix(10).map(messageSafe).joined(separator: ", ")
            return names.count > 10 ? "\(shown) and \(names.count - 10) more" : shown
        }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing: \(list(missing))") }
        if !unexpected.isEmpty { parts.append("unexpected: \(list(unexpected))") }
        if !misShaped.isEmpty { parts.append("wrong shape: \(list(misShaped))") }
        return "state dict does not match the model: \(parts.joined(separator: "; "))"
    }
}
