import CZlib
import Foundation
import FoveaData

/// Small dataset files written by the tests themselves, in the exact on-disk formats.
enum TestFiles {
    /// An IDX file's bytes: magic `00 00 type ndims`, big-endian 32-bit dimensions, then `payload`.
    static func idx(type: UInt8 = 0x08, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
        for d in dimensions { bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: d >> $0) } }
        return bytes + payload
    }

    /// Writes `bytes` to `url` uncompressed.
    static func writeRaw(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
    }

    /// Writes `bytes` to `url` gzip-compressed, through zlib's gzwrite.
    static func writeGzip(_ bytes: [UInt8], to url: URL) throws {
        guard let file = gzopen(url.path, "wb") else { throw CocoaError(.fileWriteUnknown) }
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(file) == Z_OK, written == Int32(bytes.count) else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Cuts `url` down to its first `count` bytes.
    static func truncate(_ url: URL, to count: Int) throws {
        let data = try Data(contentsOf: url)
        try data.prefix(count).write(to: url)
    }

    /// A CIFAR record: label byte(s), then 3072 pixel bytes (here `fill + i` wrapping).
    static func cifarRecord(labels: [UInt8], fill: UInt8) -> [UInt8] {
        labels + (0..<3072).map { UInt8(truncatingIfNeeded: Int(fill) + $0) }
    }

    /// The repository's `data/` folder, found from this source file.
    static func repositoryData(_ file: String = #filePath) -> URL {
        URL(fileURLWithPath: file)
            .deletingLastPathComponent()  // FoveaDataTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("data")
    }
}
