import FoveaData
import Foundation

/// Writes `data` to `path` atomically: into a temporary file in the same directory, then `rename`,
/// so a reader never sees half a file and an interrupted write leaves the old one intact.
func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
    do {
        try data.write(to: temporary)
    } catch {
        throw DataError(file: path, "cannot be written: \(error.localizedDescription)")
    }
    if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw DataError(file: path, "cannot be replaced: \(reason)")
    }
}

/// The bytes of the file at `path`, or a `DataError` naming it.
func readFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw DataError(file: path, "cannot be read (missing or unreadable)")
    }
    return data
}
