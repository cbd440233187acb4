import FoveaData
import FoveaTestSupport
import XCTest

final class IDXReaderTests: XCTestCase {
    let pixels = (0..<60).map { UInt8($0 * 4) }  // 3 images of 4 × 5

    func testReadsRawAndGzipIdentically() throws {
        let dir = try temporaryFolder()
        let bytes = TestFiles.idx(dimensions: [3, 4, 5], payload: pixels)
        try TestFiles.writeRaw(bytes, to: dir.appendingPathComponent("images-idx3-ubyte"))
        try TestFiles.writeGzip(bytes, to: dir.appendingPathComponent("images-idx3-ubyte.gz"))
        for name in ["images-idx3-ubyte", "images-idx3-ubyte.gz"] {
            let file = try IDXReader.read(dir.appendingPathComponent(name))
            XCTAssertEqual(file.dataType, .uint8)
            XCTAssertEqual(file.dimensions, [3, 4, 5])
            XCTAssertEqual(file.data, pixels)
            XCTAssertEqual(file.elementCount, 60)
        }
    }

    func testDecodesBigEndianMultiByteTypes() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("values.idx")
        // int16: 0x0102 = 258, 0xFFFE = −2; float32 1.5 = 0x3FC00000.
        try TestFiles.writeRaw(TestFiles.idx(type: 0x0B, dimensions: [2], payload: [0x01, 0x02, 0xFF, 0xFE]), to: url)
        XCTAssertEqual(try IDXReader.read(url).floatValues(), [258, -2])
        try TestFiles.writeRaw(TestFiles.idx(type: 0x0D, dimensions: [1], payload: [0x3F, 0xC0, 0, 0]), to: url)
        XCTAssertEqual(try IDXReader.read(url).floatValues(), [1.5])
    }

    func testTruncatedRawFileNamesFileAndCounts() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("train-images-idx3-ubyte")
        try TestFiles.writeRaw(TestFiles.idx(dimensions: [3, 4, 5], payload: pixels), to: url)
        try TestFiles.truncate(url, to: 16 + 10)
        assertDataError(["train-images-idx3-ubyte: expected 60 bytes of pixels for dimensions [3, 4, 5], file ends after 10"]) {
            try IDXReader.read(url, elementName: "pixels")
        }
    }

    func testTruncatedGzipStreamNamesFile() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("train-images-idx3-ubyte.gz")
        let many = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }  // poorly compressible
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [20, 1000], payload: many), to: url)
        let size = try Data(contentsOf: url).count
        try TestFiles.truncate(url, to: size / 2)
        assertDataError(["train-images-idx3-ubyte.gz: expected 20000 bytes of pixels", "file ends after"]) {
            try IDXReader.read(url, elementName: "pixels")
        }
    }

    func testCorruptOrTrailerlessGzipIsRejected() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("t10k-images-idx3-ubyte.gz")
        let many = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [20, 1000], payload: many), to: url)
        var bytes = try Data(contentsOf: url)
        // Without its 8-byte trailer (CRC-32 and length) every pixel inflates, but the file is still cut short.
        try bytes.dropLast(8).write(to: url)
        assertDataError(["t10k-images-idx3-ubyte.gz: all 20000 bytes of pixels are present, but the gzip trailer is cut short"]) {
            try IDXReader.read(url, elementName: "pixels")
        }
        bytes[bytes.count / 2] ^= 0x5A
        try bytes.write(to: url)
        assertDataError(["t10k-images-idx3-ubyte.gz: ", "corrupt", "zlib: "]) { try IDXReader.read(url, elementName: "pixels") }
    }

    func testConcatenatedGzipMembersAndTrailingGarbage() throws {
        let dir = try temporaryFolder()
        let head = dir.appendingPathComponent("head.gz"), tail = dir.appendingPathComponent("tail.gz")
        let bytes = TestFiles.idx(dimensions: [6], payload: [1, 2, 3, 4, 5, 6])
        try TestFiles.writeGzip(Array(bytes.prefix(9)), to: head)
        try TestFiles.writeGzip(Array(bytes.dropFirst(9)), to: tail)
        let joined = dir.appendingPathComponent("joined-idx1-ubyte.gz")
        let members = try Data(contentsOf: head) + Data(contentsOf: tail)
        try members.write(to: joined)
        XCTAssertEqual(try IDXReader.read(joined).data, [1, 2, 3, 4, 5, 6], "gzip members are read one after another, as gunzip does")
        try (members + Data([0x00, 0x42])).write(to: joined)
        assertDataError(["joined-idx1-ubyte.gz: ", "unexpected data after the gzip stream"]) { try IDXReader.read(joined) }
    }

    func testCorruptHeadersAreRejected() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("bad.idx")
        try TestFiles.writeRaw([0x1F, 0x00, 0x08, 0x01, 0, 0, 0, 1, 7], to: url)
        assertDataError(["bad.idx: not an IDX file"]) { try IDXReader.read(url) }
        try TestFiles.writeRaw([0, 0, 0x42, 1, 0, 0, 0, 1, 7], to: url)
        assertDataError(["bad.idx: unknown IDX element type 0x42"]) { try IDXReader.read(url) }
        try TestFiles.writeRaw([0, 0, 0x08, 3, 0, 0, 0, 1], to: url)
        assertDataError(["bad.idx: expected 12 bytes of dimension sizes (3 × 4)", "file ends after 4"]) { try IDXReader.read(url) }
        try TestFiles.writeRaw([0, 0], to: url)
        assertDataError(["bad.idx: expected 4 bytes of IDX magic number, file ends after 2"]) { try IDXReader.read(url) }
        // Headers claiming absurd sizes must fail cleanly, without trying to allocate them.
        try TestFiles.writeRaw([0, 0, 0x0E, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3], to: url)
        assertDataError(["bad.idx: dimensions [4294967295, 4294967295] are too large"]) { try IDXReader.read(url) }
        try TestFiles.writeRaw([0, 0, 0x08, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3], to: url)
        assertDataError(["bad.idx: expected 9223372030412324865 bytes", "file ends after 3"]) { try IDXReader.read(url) }
    }

    func testTrailingBytesAreRejected() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("labels-idx1-ubyte.gz")
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [3], payload: [1, 2, 3, 4, 5]), to: url)
        assertDataError(["labels-idx1-ubyte.gz: 2 unexpected bytes after the 3 bytes of labels"]) {
            try IDXReader.read(url, elementName: "labels")
        }
    }

    func testMissingFileNamesPath() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("absent.gz")
        assertDataError([url.path, "file not found"]) { try IDXReader.read(url) }
    }
}
