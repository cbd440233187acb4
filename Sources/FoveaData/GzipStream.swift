import CZlib
import Foundation

/// A file read through zlib's gz* interface.
///
/// zlib inflates gzip streams and passes any other file through unchanged ("transparent" mode), so
/// `.gz` and raw files share one code path and memory stays bounded by the caller's buffers.
final class GzipStream {
    /// The file's last path component, used in error messages.
    let name: String
    private let handle: gzFile

    /// Opens `url`; a missing file or one that cannot be opened throws a `DataError` with its full path.
    init(_ url: URL) throws {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(file: path, "file not found")
        }
        guard let handle = gzopen(path, "rb") else {
            throw DataError(file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        self.name = url.lastPathComponent
        _ = gzbuffer(handle, 1 << 18)  // a larger input buffer than zlib's 8 KiB default: fewer read syscalls
    }

    deinit { gzclose(handle) }

    /// Fills `buffer` as far as the stream allows. Returns the number of bytes read and, when the
    /// stream ended early because of an error (a truncated or corrupt gzip stream), zlib's message.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, problem: String?) {
        var filled = 0
        while filled < buffer.count {
            let want = UInt32(min(buffer.count - filled, 1 << 30))
            let got = gzread(handle, buffer.baseAddress! + filled, want)
            if got < 0 { return (filled, zlibProblem() ?? "read error") }
            if got == 0 { return (filled, zlibProblem()) }  // end of data, clean or not
            filled += Int(got)
        }
        return (filled, nil)
    }

    /// Reads exactly `count` bytes, or as many as there are; see `read(into:)`.
    func read(count: Int) -> (bytes: [UInt8], problem: String?) {
        var bytes: [UInt8] = []
        // Grow as data actually arrives, so a corrupt header claiming terabytes cannot allocate them.
        let chunk = 1 << 22
        bytes.reserveCapacity(min(count, chunk * 16))
        var problem: String?
        var remaining = count
        var scratch = [UInt8](repeating: 0, count: min(count, chunk))
        while remaining > 0 {
            let want = min(remaining, chunk)
            let (got, issue) = scratch.withUnsafeMutableBytes { read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
            bytes.append(contentsOf: scratch[0..<got])
            remaining -= got
            if got < want { problem = issue; break }
        }
        return (bytes, problem)
    }

    /// Reads to the end of the stream.
    func readToEnd() -> (bytes: [UInt8], problem: String?) {
        var all: [UInt8] = []
        while true {
            let (bytes, problem) = read(count: 1 << 24)
            all.append(contentsOf: bytes)
            if bytes.count < 1 << 24 || problem != nil { return (all, problem) }
        }
    }

    /// zlib's message for the stream's error state, or nil when there is none.
    private func zlibProblem() -> String? {
        var code: Int32 = Z_OK
        guard let message = gzerror(handle, &code), code != Z_OK else { return nil }
        let text = String(cString: message)
        return text.isEmpty ? "zlib error \(code)" : text
    }
}
