import CZlib
import Foundation

/// Why a read stopped short of what was asked.
struct StreamProblem: Error, Equatable {
    /// True when the file simply ends early; false when its data is invalid or unreadable.
    var truncated: Bool
    /// zlib's (or the system's) explanation.
    var message: String

    /// A phrase for error messages: " (zlib: unexpected end of file)".
    var note: String { " (zlib: \(message))" }
}

/// A file (or a file's bytes in memory) read sequentially, inflated on the fly when it is
/// gzip-compressed (it starts with the gzip magic `1f 8b`) and passed through unchanged otherwise.
///
/// This drives zlib's `inflate` directly rather than using `gzread`, because `gzread` quietly
/// returns end-of-file for a stream whose trailer (CRC-32 and length) is cut off once the input
/// buffer has drained. Here a compressed file counts as complete only when `inflate` reports
/// `Z_STREAM_END`, which it does after checking the trailer. Concatenated gzip members are read
/// one after another, as `gunzip` does.
final class GzipStream {
    /// Where the (possibly compressed) bytes come from.
    private enum Source {
        case file(UnsafeMutablePointer<FILE>)
        /// Bytes in memory and how many of them have been consumed.
        case memory(Data, consumed: Int)
    }

    /// The file's last path component (or the name given with in-memory bytes), used in error messages.
    let name: String
    private var source: Source
    private let isCompressed: Bool
    /// The most bytes this stream can yield: the input's size, times deflate's largest expansion
    /// (about 1032:1) when compressed. Bounds what a read reserves up front, so a header that
    /// claims gigabytes cannot make a small input allocate them.
    private let outputBound: Int
    /// Bytes read from the file but not yet consumed: `input[inputStart..<inputEnd]`.
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    /// Heap-allocated because zlib's internal state points back at it, so it must never move.
    private let stream: UnsafeMutablePointer<z_stream>
    private var ended = false
    private var problem: StreamProblem?

    /// Opens `url`; a missing file or one that cannot be opened throws a `DataError` with its full path.
    convenience init(_ url: URL) throws {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "file not found")
        }
        guard !isDirectory.boolValue else { throw DataError(file: path, "is a directory, not a file") }
        guard let file = fopen(path, "rb") else {
            throw DataError(file: path, "cannot open: \(String(cString: strerror(errno)).lowercased())")
        }
        // Only a regular file's size is known up front (a pipe or /proc file reports 0).
        var status = stat()
        let isRegular = fstat(fileno(file), &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        let size = isRegular ? Int(status.st_size) : Int.max
        self.init(source: .file(file), size: size, name: url.lastPathComponent)
    }

    /// Reads `data`, the bytes of a file called `name` (for error messages).
    convenience init(data: Data, name: String) {
        self.init(source: .memory(data, consumed: 0), size: data.count, name: name)
    }

    private init(source: Source, size: Int, name: String) {
        self.source = source
        self.name = name
        input = .allocate(capacity: inputCapacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        var first = 0
        var problem: StreamProblem?
        Self.fill(input, capacity: inputCapacity, from: &self.source, count: &first, problem: &problem)
        self.problem = problem
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(first)
        isCompressed = first >= 2 && input[0] == 0x1F && input[1] == 0x8B
        let (bound, overflow) = max(size, 0).multipliedReportingOverflow(by: isCompressed ? 1032 : 1)
        outputBound = overflow ? Int.max : bound
        // windowBits 15 + 16: the largest window, gzip wrapper only.
        if isCompressed && inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) != Z_OK {
            self.problem = StreamProblem(truncated: false, message: "cannot initialise inflate")
        }
    }

    /// Reads up to `capacity` bytes of `source` into `buffer`, setting `count`; a read error is
    /// recorded in `problem` (end of input is `count == 0` without one).
    private static func fill(_ buffer: UnsafeMutablePointer<UInt8>, capacity: Int, from source: inout Source,
                             count: inout Int, problem: inout StreamProblem?) {
        switch source {
        case let .file(file):
            count = fread(buffer, 1, capacity, file)
            if count < capacity && ferror(file) != 0 { problem = StreamProblem(truncated: false, message: "read error") }
        case let .memory(data, consumed):
            count = min(capacity, data.count - consumed)
            if count > 0 {
                data.withUnsafeBytes { raw in
                    UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + consumed, byteCount: count)
                }
            }
            source = .memory(data, consumed: consumed + count)
        }
    }

    /// `fill` into this stream's state.
    private func readSource(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        var count = 0
        Self.fill(buffer, capacity: capacity, from: &source, count: &count, problem: &problem)
        return count
    }

    deinit {
        if isCompressed { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
        if case let .file(file) = source { fclose(file) }
    }

    /// Fills `buffer` as far as the file allows. Returns the number of bytes read and, when the
    /// file ended early or its data is invalid, what went wrong (then every later read returns 0).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, problem: StreamProblem?) {
        guard problem == nil, !ended, buffer.count > 0 else { return (0, problem) }
        return isCompressed ? inflate(into: buffer) : copy(into: buffer)
    }

    private func copy(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, problem: StreamProblem?) {
        let buffered = min(Int(stream.pointee.avail_in), buffer.count)
        if buffered > 0 {
            buffer.baseAddress!.copyMemory(from: stream.pointee.next_in, byteCount: buffered)
            stream.pointee.next_in += buffered
            stream.pointee.avail_in -= UInt32(buffered)
        }
        var filled = buffered
        while filled < buffer.count {
            let got = readSource(into: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + filled, capacity: buffer.count - filled)
            filled += got
            if got == 0 {
                if problem == nil { ended = true }
                break
            }
        }
        return (filled, problem)
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, problem: StreamProblem?) {
        let z = stream
        z.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        z.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        let requested = Int(z.pointee.avail_out)
        while z.pointee.avail_out > 0 && problem == nil && !ended {
            if z.pointee.avail_in == 0 && !refill() {
                if problem == nil { problem = StreamProblem(truncated: true, message: "unexpected end of file") }
                break
            }
            let code = CZlib.inflate(z, Z_NO_FLUSH)
            switch code {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another gzip member may follow; anything else after the trailer is corrupt.
                if z.pointee.avail_in == 0 && !refill() {
                    if problem == nil { ended = true }
                } else if z.pointee.next_in[0] == 0x1F {
                    inflateReset(z)
                } else {
                    problem = StreamProblem(truncated: false, message: "unexpected data after the gzip stream")
                }
            default:
                let message = z.pointee.msg.map { String(cString: $0) } ?? "error \(code)"
                problem = StreamProblem(truncated: false, message: message)
            }
        }
        return (requested - Int(z.pointee.avail_out), problem)
    }

    /// Reads more of the file into `input`; false at end of file (or on a read error, recorded).
    private func refill() -> Bool {
        let got = readSource(into: input, capacity: inputCapacity)
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(got)
        return got > 0
    }

    /// Reads exactly `count` bytes, or as many as there are; see `read(into:)`.
    func read(count: Int) -> (bytes: [UInt8], problem: StreamProblem?) {
        var bytes: [UInt8] = []
        // Grow as data actually arrives, so a corrupt header claiming terabytes cannot allocate them.
        // Nor can an input that is too small to hold them: reserve at most what it could yield.
        let chunk = min(1 << 22, max(outputBound, 1))
        bytes.reserveCapacity(min(count, 16 << 22, outputBound))
        var problem: StreamProblem?
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

    /// Reads to the end of the file.
    func readToEnd() -> (bytes: [UInt8], problem: StreamProblem?) {
        var all: [UInt8] = []
        while true {
            let (bytes, problem) = read(count: 1 << 24)
            all.append(contentsOf: bytes)
            if bytes.count < 1 << 24 || problem != nil { return (all, problem) }
        }
    }
}
