import Foundation

/// A file in memory-backed `/dev/shm` that holds the current input, for parsers that read only
/// from a URL. One per process (libFuzzer runs inputs one at a time), named by process id so that
/// parallel fuzzing jobs (`-jobs=N`) do not overwrite each other's input; removed at exit.
public enum ScratchFile {
    private static let url: URL = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: folder).appendingPathComponent("fovea-fuzz-\(getpid()).bin")
        atexit { unlink(ScratchFile.url.path) }
        return url
    }()

    /// Writes `data` to the scratch file and returns its URL.
    public static func write(_ data: Data) -> URL {
        // A failed write would make every input look like "file not found"; stop loudly instead.
        guard FileManager.default.createFile(atPath: url.path, contents: data) else {
            fatalError("cannot write fuzz scratch file \(url.path)")
        }
        return url
    }
}
