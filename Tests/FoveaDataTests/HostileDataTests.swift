import CZlib
import Foundation
import FoveaData
import FoveaTestSupport
import XCTest

/// Dataset files built to break the readers: each must throw a one-line `DataError` naming the
/// file, never trap, and never allocate what a header merely claims.
final class HostileDataTests: XCTestCase {
    /// `bytes` gzip-compressed (through a temporary file and zlib's gzwrite).
    func gzip(_ bytes: [UInt8]) throws -> Data {
        let url = try temporaryFolder().appendingPathComponent("data.gz")
        try TestFiles.writeGzip(bytes, to: url)
        return try Data(contentsOf: url)
    }

    // MARK: - Data entry points

    func testIDXFromMemoryMatchesTheFile() throws {
        let bytes = TestFiles.idx(type: 0x0B, dimensions: [2, 3], payload: (0..<12).map { UInt8($0) })
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("x.idx.gz")
        try TestFiles.writeGzip(bytes, to: url)
        let fromFile = try IDXReader.read(url)
        XCTAssertEqual(try IDXReader.read(data: Data(bytes), name: "raw"), fromFile)
        XCTAssertEqual(try IDXReader.read(data: Data(contentsOf: url), name: "gz"), fromFile)
        // A slice of a larger buffer (non-zero start index) reads the same.
        let padded = Data([9, 9, 9] + bytes)
        XCTAssertEqual(try IDXReader.read(data: padded.dropFirst(3), name: "slice"), fromFile)
        assertDataError(["in-memory: expected 12 bytes of data for dimensions [2, 3], file ends after 11"]) {
            try IDXReader.read(data: Data(bytes.dropLast()), name: "in-memory")
        }
        assertDataError(["empty: expected 4 bytes of IDX magic number, file ends after 0"]) { try IDXReader.read(data: Data(), name: "empty") }
    }

    func testCIFARFromMemory() throws {
        let bytes = TestFiles.cifarRecord(labels: [4], fill: 1)
        XCTAssertEqual(try CIFARReader.read(data: Data(bytes), name: "b", variant: .cifar10).labels, [4])
        XCTAssertEqual(try CIFARReader.read(data: gzip(bytes), name: "b", variant: .cifar10).labels, [4])
        assertDataError(["empty.bin: declares 0 images"]) { try CIFARReader.read(data: Data(), name: "empty.bin", variant: .cifar100) }
        assertDataError(["gz.bin: declares 0 images"]) { try CIFARReader.read(data: gzip([]), name: "gz.bin", variant: .cifar10) }
    }

    /// A header claiming 4 GB of pixels in a file of a few bytes fails at once, raw or gzip.
    func testHugeClaimsFailWithoutAllocating() throws {
        let claim = TestFiles.idx(dimensions: [65535, 65535], payload: [1, 2, 3])
        let start = Date()
        assertDataError(["huge: expected 4294836225 bytes of data", "file ends after 3"]) { try IDXReader.read(data: Data(claim), name: "huge") }
        assertDataError(["huge.gz: expected 4294836225 bytes of data", "file ends after 3"]) {
            try IDXReader.read(data: gzip(claim), name: "huge.gz")
        }
        assertDataError(["wide: dimensions [4294967295, 4294967295, 4294967295] are too large"]) {
            try IDXReader.read(data: Data(TestFiles.idx(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [])), name: "wide")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "nothing the size of the claim was allocated or zeroed")
    }

    /// Every prefix and many single-byte changes of small valid files: throw or read, never trap.
    func testTruncationsAndByteFlipsNeverTrap() throws {
        let idx = TestFiles.idx(type: 0x0C, dimensions: [2, 2], payload: (0..<16).map { UInt8($0) })
        let cifar = TestFiles.cifarRecord(labels: [3, 7], fill: 0)
        for input in [Data(idx), try gzip(idx)] {
            for length in 0..<input.count { _ = try? IDXReader.read(data: input.prefix(length), name: "cut") }
            for index in input.indices {
                for byte: UInt8 in [0x00, 0x01, 0x08, 0x0E, 0x1F, 0x80, 0xFF] {
                    var mutated = input
                    mutated[index] = byte
                    if let file = try? IDXReader.read(data: mutated, name: "flip") { _ = try? file.floatValues() }
                }
            }
        }
        let packed = try gzip(cifar)
        for length in 0..<packed.count {
            XCTAssertThrowsError(try CIFARReader.read(data: packed.prefix(length), name: "cut", variant: .cifar100))
        }
        for index in packed.indices {
            var mutated = packed
            mutated[index] ^= 0x5A
            _ = try? CIFARReader.read(data: mutated, name: "flip", variant: .cifar100)
        }
    }

    // MARK: - IDXFile built by hand

    func testElementCountAndFloatValuesNeverTrap() throws {
        // The stored properties are public and mutable, so a file's dimensions may be anything.
        var file = try IDXReader.read(data: Data(TestFiles.idx(type: 0x0B, dimensions: [2], payload: [0, 1, 0, 2])), name: "x")
        file.dimensions = [Int.max, 2]
        XCTAssertNil(file.elementCount)
        XCTAssertThrowsError(try file.floatValues())
        file.dimensions = [-1, -2]
        XCTAssertNil(file.elementCount)
        XCTAssertThrowsError(try file.floatValues())
        file.dimensions = [3]
        XCTAssertEqual(file.elementCount, 3)
        XCTAssertThrowsError(try file.floatValues()) { XCTAssertTrue("\($0)".contains("the payload has 4 bytes"), "\($0)") }
        file.dimensions = [2]
        XCTAssertEqual(try file.floatValues(), [1, 2])
    }

    // MARK: - Datasets and loaders with nothing in them

    func testZeroImagesAreRefused() throws {
        let dir = try temporaryFolder()
        let images = dir.appendingPathComponent("train-images-idx3-ubyte.gz"), labels = dir.appendingPathComponent("train-labels-idx1-ubyte.gz")
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [0, 28, 28], payload: []), to: images)
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [0], payload: []), to: labels)
        assertDataError(["train-images-idx3-ubyte.gz: declares 0 images"]) { try ImageDataset.fashionMNIST(directory: dir, split: .train) }
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [2, 0, 28], payload: []), to: images)
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [2], payload: [0, 1]), to: labels)
        assertDataError(["train-images-idx3-ubyte.gz: declares images of 0 × 28 pixels"]) { try ImageDataset.fashionMNIST(directory: dir, split: .train) }
        try TestFiles.writeRaw([], to: dir.appendingPathComponent("test_batch.bin"))
        assertDataError(["test_batch.bin: declares 0 images"]) { try ImageDataset.cifar10(directory: dir, split: .test) }
    }

    func testLoaderOverNoImagesIsRefused() throws {
        let empty = try ImageDataset(pixels: [], channels: 1, height: 2, width: 2, labels: [], classNames: ["a"])
        XCTAssertThrowsError(try DataLoader(dataset: empty, batchSize: 4)) {
            XCTAssertEqual("\($0)", "DataLoader: the dataset has 0 images")
        }
        let three = try ImageDataset(pixels: [UInt8](repeating: 0, count: 12), channels: 1, height: 2, width: 2, labels: [0, 0, 0], classNames: ["a"])
        XCTAssertThrowsError(try DataLoader(dataset: three, batchSize: 4, dropLast: true)) {
            XCTAssertEqual("\($0)", "DataLoader: dropLast with batchSize 4 leaves no batch from 3 images")
        }
        XCTAssertEqual(try DataLoader(dataset: three, batchSize: 4).batchCount, 1)
    }

    func testDatasetSizesThatOverflowAreRejected() {
        XCTAssertThrowsError(try ImageDataset(pixels: [], channels: Int.max, height: 2, width: 1, labels: [0], classNames: ["a"]))
        XCTAssertThrowsError(try ImageDataset(pixels: [], channels: 1 << 31, height: 1 << 31, width: 4, labels: [0], classNames: ["a"]))
    }

    func testDirectoryIsNotAFile() throws {
        let dir = try temporaryFolder()
        assertDataError([dir.path, "is a directory, not a file"]) { try IDXReader.read(dir) }
    }
}
