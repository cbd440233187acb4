import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be written, naming it and why.
public struct FileWriteError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String
    public init(file: String, _ message: String) { self.file = file; self.message = message }
    public var description: String { "\(file): \(message)" }
}

/// Writes `data` to `url` atomically: a temporary file in the same folder is written, flushed to
/// disk (fsync) and renamed over the target, so a reader never sees half a file and an interrupted
/// write leaves the previous version intact. Creates the folder if needed.
public func writeAtomically(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
        throw FileWriteError(file: url.path, "its folder cannot be created (\(ErrorPhrase.fileRead(error)))")
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
        throw FileWriteError(file: url.path, "cannot be written (cannot create \(temporary.lastPathComponent) beside it)")
    }
    do {
        let handle = try FileHandle(forWritingTo: temporary)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw FileWriteError(file: url.path, "cannot be written (\(ErrorPhrase.fileRead(error)))")
    }
    if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw FileWriteError(file: url.path, "cannot be replaced (\(reason))")
    }
}
