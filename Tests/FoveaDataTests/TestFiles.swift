import CZlib
import Foundation
import FoveaData
import XCTest

/// Small dataset files written by the tests themselves, in the exact on-disk formats.
enum TestFiles {
    /// A fresh empty directory, removed when the test ends.
    static func directory(for test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("FoveaDataTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

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

/// Asserts that `body` throws a `DataError` whose description contains every string in `needles`.
func assertDataError<T>(_ needles: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected a DataError containing \(needles)", file: file, line: line)
    } catch let error as DataError {
        for needle in needles where !error.description.contains(needle) {
            XCTFail("\"\(error.description)\" does not contain \"\(needle)\"", file: file, line: line)
        }
    } catch {
        XCTFail("expected a DataError, got \(type(of: error)): \(error)", file: file, line: line)
    }
}
