import Foundation
import FoveaData
import FoveaTensor

/// Where a dataset's files are looked for when the user names no folder, so that `fovea demo`,
/// `eval` and `explain --evaluate` work from any working directory.
///
/// In order: the folder the user gave (`--data`), then the folder a run recorded when it was
/// trained, then `$FOVEA_DATA/NAME` (the CLI passes the environment variable in), then
/// `data/NAME` under the working directory, then the copy bundled in Fovea's source tree
/// (`data/fashion-mnist`, located from this file's path at build time, which also holds for a
/// package checkout used as a dependency). The first folder that exists wins; an explicit folder is
/// used as given, even when missing, so that its reader names the missing file.
public struct DatasetLocation: Sendable {
    /// `--data`, when given.
    public var explicit: String?
    /// The folder a run recorded in its `config.json`.
    public var recorded: String?
    /// The value of `FOVEA_DATA`: a folder holding one sub-folder per dataset.
    public var root: String?

    public init(explicit: String? = nil, recorded: String? = nil, root: String? = nil) {
        self.explicit = explicit; self.recorded = recorded; self.root = root
    }

    /// The folder of Fovea's source tree that holds the bundled datasets.
    public static let bundledRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data", isDirectory: true)

    /// The folders tried for `dataset`, in order.
    public func candidates(for dataset: String) -> [URL] {
        if let explicit { return [URL(fileURLWithPath: explicit, isDirectory: true)] }
        var folders: [URL] = []
        if let recorded { folders.append(URL(fileURLWithPath: recorded, isDirectory: true)) }
        if let root { folders.append(URL(fileURLWithPath: root, isDirectory: true).appendingPathComponent(dataset, isDirectory: true)) }
        folders.append(URL(fileURLWithPath: "data", isDirectory: true).appendingPathComponent(dataset, isDirectory: true))
        folders.append(Self.bundledRoot.appendingPathComponent(dataset, isDirectory: true))
        return folders
    }

    /// The folder to read `dataset` from: the first candidate that exists, or a `DataError` that
    /// lists every place looked at and how to point Fovea at the files.
    public func directory(for dataset: String) throws -> URL {
        let folders = candidates(for: dataset)
        if explicit != nil { return folders[0] }
        var isFolder: ObjCBool = false
        if let found = folders.first(where: { FileManager.default.fileExists(atPath: $0.path, isDirectory: &isFolder) && isFolder.boolValue }) {
            return found.standardizedFileURL
        }
        throw DataError(file: dataset, "no folder with its files found (looked in \(folders.map(\.path).joined(separator: ", "))); pass --data DIR or set FOVEA_DATA to a folder holding \(dataset)/")
    }
}
