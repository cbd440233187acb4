import XCTest
import Foundation

/// Mistakes a user makes on the command line get one clear line and a non-zero exit, never a crash;
/// the bundled data is found from any working directory.
final class UserErrorCLITests: XCTestCase {
    /// A one-epoch LeNet-5 run, trained once for the whole class.
    nonisolated(unsafe) static var runFolder: URL!
    nonisolated(unsafe) static var scratch: URL!

    override class func setUp() {
        super.setUp()
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-user-errors-\(getpid())")
        try? FileManager.default.removeItem(at: scratch)
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        runFolder = scratch.appendingPathComponent("run")
    }

    override class func tearDown() {
        try? FileManager.default.removeItem(at: scratch)
        super.tearDown()
    }

    /// The run folder, trained on first use.
    private func trainedRun() throws -> String {
        let path = Self.runFolder.path
        if !FileManager.default.fileExists(atPath: Self.runFolder.appendingPathComponent("config.json").path) {
            let (status, out) = try run(["demo", "--epochs", "1", "--out", path])
            XCTAssertEqual(status, 0, out)
        }
        return path
    }

    func testExplainCountMustBePositive() throws {
        let run = try trainedRun()
        for count in ["0", "-5"] {
            let (status, out) = try self.run(["explain", run, "--evaluate", "--count", count])
            XCTAssertEqual(status, 64, out)
            XCTAssertTrue(out.contains("Error: --count must be at least 1, got \(count)"), out)
        }
        let (status, out) = try self.run(["explain", run, "--evaluate", "--count=-5"])
        XCTAssertEqual(status, 64, out)
    }

    func testPredictReportsAnUnreadableImageAndGoesOn() throws {
        let run = try trainedRun()
        let bad = Self.scratch.appendingPathComponent("bad.png").path
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: bad))
        let good = Self.scratch.appendingPathComponent("good.png").path
        // A valid image: the first panel the run wrote.
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: run).appendingPathComponent("loss.png").path, toPath: good)
        let (status, out) = try self.run(["predict", run, bad, good, "/nonexistent-fovea.png"])
        XCTAssertEqual(status, 1, out)
        XCTAssertTrue(out.contains("skipped: \(bad): is neither a PNG nor a JPEG file"), out)
        XCTAssertTrue(out.contains("skipped: /nonexistent-fovea.png"), out)
        XCTAssertTrue(out.contains("\(good)\n  "), out)
        XCTAssertTrue(out.contains("2 of 3 images could not be read"), out)
    }

    func testEvalFindsTheBundledDataFromAnyFolderAndNeedsOnlyTheTestSplit() throws {
        let run = try trainedRun()
        var (status, out) = try self.run(["eval", run], in: Self.scratch)
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("test split (10000 images)"), out)

        // A folder with only the test files.
        let testOnly = Self.scratch.appendingPathComponent("test-only")
        try FileManager.default.createDirectory(at: testOnly, withIntermediateDirectories: true)
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/fashion-mnist")
        for file in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try? FileManager.default.copyItem(at: bundled.appendingPathComponent(file), to: testOnly.appendingPathComponent(file))
        }
        (status, out) = try self.run(["eval", run, "--data", testOnly.path], in: Self.scratch)
        XCTAssertEqual(status, 0, out)
    }

    func testACorruptConfigIsNamedInOneLine() throws {
        let folder = Self.scratch.appendingPathComponent("corrupt")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(#"{"model": 3, "dataset": "fashion-mnist"}"#.utf8).write(to: folder.appendingPathComponent("config.json"))
        let (status, out) = try run(["eval", folder.path])
        XCTAssertEqual(status, 1, out)
        XCTAssertTrue(out.contains("config.json: is not a run configuration: at model: expected String, found number"), out)
        XCTAssertFalse(out.contains("DecodingError"), out)
        XCTAssertEqual(out.split(separator: "\n").count, 1, out)
    }

    func testNonFiniteWeightsWarnOrAreRefusedWithStrict() throws {
        let source = try trainedRun()
        let copy = Self.scratch.appendingPathComponent("nan-run")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(atPath: source, toPath: copy.path)
        // Every data byte 0xFF: each float becomes a NaN; the header stays valid.
        for name in ["best", "last"] {
            let file = copy.appendingPathComponent("checkpoints/\(name).safetensors")
            var bytes = [UInt8](try Data(contentsOf: file))
            let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            for i in (8 + headerLength)..<bytes.count { bytes[i] = 0xFF }
            try Data(bytes).write(to: file)
        }
        let image = URL(fileURLWithPath: source).appendingPathComponent("loss.png").path
        var (status, out) = try run(["predict", copy.path, image])
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("warning: "), out)
        XCTAssertTrue(out.contains("hold NaN or infinite values"), out)
        (status, out) = try run(["predict", copy.path, image, "--strict"])
        XCTAssertEqual(status, 1, out)
        XCTAssertTrue(out.contains("refusing to load them"), out)
        XCTAssertEqual(out.split(separator: "\n").count, 1, out)
    }

    func testAnImageBombIsRefusedFromItsHeader() throws {
        let run = try trainedRun()
        // 60000x60000 RGBA16 declared in a 57-byte PNG: once a fatal 14 GB allocation.
        let bomb = Self.scratch.appendingPathComponent("bomb.png")
        try pngHeader(width: 60000, height: 60000, bitDepth: 16, colourType: 6).write(to: bomb)
        // Read reduced to 1024 px, it fits the limit; the missing pixel data is then the error.
        var (status, out) = try self.run(["predict", run, bomb.path])
        XCTAssertEqual(status, 1, out)
        XCTAssertTrue(out.contains("skipped: \(bomb.path): not a readable PNG"), out)
        (status, out) = try self.run(["predict", run, bomb.path, "--max-image-pixels", "1000"])
        XCTAssertEqual(status, 1, out)
        XCTAssertTrue(out.contains("declares a 60000x60000 image"), out)
        XCTAssertTrue(out.contains("--max-image-pixels"), out)
        (status, out) = try self.run(["predict", run, bomb.path, "--max-image-pixels", "0"])
        XCTAssertEqual(status, 64, out)
        XCTAssertTrue(out.contains("--max-image-pixels must be at least 1, got 0"), out)
    }

    /// A PNG signature, an IHDR chunk and an empty IDAT: a header that declares any size.
    private func pngHeader(width: UInt32, height: UInt32, bitDepth: UInt8, colourType: UInt8) -> Data {
        func crc32(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return ~c
        }
        func bigEndian(_ v: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            return bigEndian(UInt32(body.count)) + typed + bigEndian(crc32(typed))
        }
        let ihdr = bigEndian(width) + bigEndian(height) + [bitDepth, colourType, 0, 0, 0]
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", []) + chunk("IEND", []))
    }
}
