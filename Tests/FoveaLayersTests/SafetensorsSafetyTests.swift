import XCTest
import FoveaTestSupport
import Fovea

/// Hostile and unusual safetensors files, built byte by byte: every one must throw a one-line
/// `CheckpointError` naming the file (and the tensor), never trap or load wrong values.
final class SafetensorsSafetyTests: XCTestCase {
    /// A safetensors file: the 8-byte little-endian header length, `header`, then `data`.
    static func file(_ header: String, _ data: [UInt8] = []) -> Data {
        let json = Array(header.utf8)
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) }
        bytes += json + data
        return Data(bytes)
    }

    /// Writes `contents` to a fresh temporary file named `name`, removed when the test ends.
    func write(_ contents: Data, name: String = "hostile.safetensors") throws -> URL {
        let url = try temporaryFolder().appendingPathComponent(name)
        try contents.write(to: url)
        return url
    }

    /// Asserts that reading `header` + `data` from a file throws a one-line `CheckpointError`
    /// naming the file and containing every string in `needles`.
    func assertRejected(_ header: String, _ data: [UInt8] = [], _ needles: [String],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let url = try write(Self.file(header, data))
        do {
            let (tensors, _) = try Safetensors.read(url)
            XCTFail("expected an error containing \(needles), loaded \(tensors.map { ($0.name, $0.tensor.shape) })", file: file, line: line)
        } catch let error as CheckpointError {
            let text = error.description
            XCTAssertTrue(text.contains("hostile.safetensors"), "\"\(text)\" does not name the file", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), "\"\(text)\" is not one line", file: file, line: line)
            for needle in needles where !text.contains(needle) {
                XCTFail("\"\(text)\" does not contain \"\(needle)\"", file: file, line: line)
            }
        }
    }

    /// Little-endian bytes of `values`.
    static func bytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    }

    // MARK: - Shapes and offsets that used to trap or wrap

    func testShapeProductOverflowIsRejected() throws {
        try assertRejected(#"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}"#, [UInt8](repeating: 0, count: 16),
                           ["'w'", "too large"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}"#, [UInt8](repeating: 0, count: 16),
                           ["'w'", "too large"])
        // The element count fits but its size in bytes does not.
        try assertRejected(#"{"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,16]}}"#, [UInt8](repeating: 0, count: 16),
                           ["'w'", "too large"])
    }

    func testEndOffsetOfIntMaxIsRejected() throws {
        try assertRejected(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775807,9223372036854775807]}}"#, [0, 0, 0, 0, 0, 0, 0, 0],
                           ["'w'", "data_offsets"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,9223372036854775807]}}"#, [0, 0, 0, 0, 0, 0, 0, 0],
                           ["'w'", "data_offsets"])
    }

    func testNegativeDimensionsAreRejected() throws {
        try assertRejected(#"{"w":{"dtype":"F32","shape":[-6,1,5,5],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8),
                           ["'w'", "shape", "-6"])
        // Two negative dimensions multiply to a positive count that matches the data.
        try assertRejected(#"{"w":{"dtype":"F32","shape":[-1,-2],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8),
                           ["'w'", "shape", "-1"])
    }

    func testHugeOffsetsAreRejectedNotWrapped() throws {
        // 2^70 and 2^70 + 600 wrapped to 0 and 600 with NSNumber.intValue.
        try assertRejected(#"{"w":{"dtype":"F32","shape":[150],"data_offsets":[1180591620717411303424,1180591620717411304024]}}"#,
                           [UInt8](repeating: 0, count: 600), ["'w'", "data_offsets", "1180591620717411303424"])
    }

    func testNonIntegerNumbersAreRejected() throws {
        let data = [UInt8](repeating: 0, count: 8)
        try assertRejected(#"{"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, data, ["'w'", "shape", "2.0"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8e0]}}"#, data, ["'w'", "data_offsets", "8e0"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[true,2],"data_offsets":[0,8]}}"#, data, ["'w'", "shape"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}"#, data, ["'w'", "shape"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}}"#, data, ["'w'", "data_offsets", "2"])
    }

    func testOffsetsMustMatchTheShapeAndStayInTheData() throws {
        let data = [UInt8](repeating: 0, count: 8)
        try assertRejected(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data, ["'w'", "12 bytes", "8"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data, ["'w'", "data_offsets"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data, ["'w'", "16", "8"])
    }

    func testOverlapsGapsAndTrailingBytesAreRejected() throws {
        let data = [UInt8](repeating: 0, count: 16)
        try assertRejected(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[3],"data_offsets":[4,16]}}"#,
                           data, ["'a'", "'b'", "overlap"])
        try assertRejected(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}"#,
                           data, ["4..<8", "no tensor"])
        try assertRejected(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data, ["8", "after the last tensor"])
        // The same range claimed twice.
        try assertRejected(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                           [UInt8](repeating: 0, count: 8), ["'a'", "'b'", "overlap"])
    }

    func testMalformedHeadersAreRejected() throws {
        try assertRejected(#"[1,2]"#, [], ["JSON object"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#, [0, 0, 0, 0], ["JSON"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[1]}}"#, [0, 0, 0, 0], ["'w'", "data_offsets"])
        try assertRejected(#"{"w":7}"#, [], ["'w'", "object"])
        try assertRejected(#"{"__metadata__":{"epoch":3}}"#, [], ["__metadata__", "epoch", "string"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                           [0, 0, 0, 0], ["'w'", "twice"])
        try assertRejected(String(repeating: "[", count: 100_000), [], ["JSON", "nested deeper"])
        let longShape = "[" + Array(repeating: "1", count: 2000).joined(separator: ",") + "]"
        try assertRejected(#"{"w":{"dtype":"F32","shape":\#(longShape),"data_offsets":[0,4]}}"#, [0, 0, 0, 0], ["JSON", "longer than 1024"])
    }

    func testNamesFromTheFileStayOnOneLine() throws {
        try assertRejected(#"{"evil\nname":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0], [#"'evil\nname'"#, "I32"])
        try assertRejected(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}"#, [0, 0, 0, 0], ["'w'", "'extra'"])
        let long = String(repeating: "x", count: 5000)
        let url = try write(Self.file(#"{"w":{"dtype":"\#(long)","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]))
        XCTAssertThrowsError(try Safetensors.read(url)) { XCTAssertLessThan("\($0)".count, 400, "\($0)") }
    }

    func testHeaderLengthIsCappedAndChecked() throws {
        var huge = Self.bytes([UInt64(200_000_000)])
        huge += Array("{}".utf8)
        let url = try write(Data(huge), name: "hostile.safetensors")
        XCTAssertThrowsError(try Safetensors.read(url)) { error in
            XCTAssertTrue("\(error)".contains("hostile.safetensors") && "\(error)".contains("200000000"), "\(error)")
        }
    }

    func testEveryTruncationAndByteFlipThrowsOrLoads() throws {
        var rng = RandomGenerator(seed: 2)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 1, kernelSize: 1, using: &rng), BatchNorm2d(channels: 1))
        let url = try write(Data(), name: "small.safetensors")
        try model.save(to: url, metadata: ["k": "v"])
        let valid = try Data(contentsOf: url)
        for length in 0..<valid.count {
            XCTAssertThrowsError(try Safetensors.read(data: valid.prefix(length), name: "cut"), "prefix of \(length) bytes")
        }
        // Every byte replaced by each of a few values: must throw or load, never trap.
        for index in 0..<valid.count {
            for byte: UInt8 in [0x00, 0x22, 0x2D, 0x31, 0x39, 0x7B, 0xFF] {
                var mutated = valid
                mutated[index] = byte
                _ = try? Safetensors.read(data: mutated, name: "mutated")
            }
        }
    }

    func testDataEntryPointNamesTheGivenName() throws {
        XCTAssertThrowsError(try Safetensors.read(data: Self.file(#"{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, [7]), name: "in-memory")) {
            XCTAssertEqual("\($0)", "in-memory: tensor 'w': dtype 'U8' is not supported (Fovea reads F32, F64, F16, BF16, I64)")
        }
        let (tensors, metadata) = try Safetensors.read(data: Self.file(#"{"__metadata__":{"a":"b"},"w":{"dtype":"BF16","shape":[1,1],"data_offsets":[0,2]}}"#, [0x80, 0x3F]), name: "x")
        XCTAssertEqual(metadata, ["a": "b"])
        XCTAssertEqual(tensors["w"], Tensor(shape: [1, 1], storage: [1]))
        XCTAssertEqual(try Safetensors.read(data: Self.file("{}  "), name: "empty").tensors.count, 0)
    }

    // MARK: - Dtypes

    func testHalfBFloatAndDoubleLoadAsFloat() throws {
        // F16: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), +inf.
        let f16 = Self.bytes([UInt16(0x3C00), 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555])
        // BF16: 1.0, -2.0, 3.140625.
        let bf16 = Self.bytes([UInt16(0x3F80), 0xC000, 0x4049])
        let f64 = Self.bytes([(0.1 as Double).bitPattern, (-3.5 as Double).bitPattern])
        let i64 = Self.bytes([Int64(-7), 1 << 40])
        let header = """
        {"h":{"dtype":"F16","shape":[2,3],"data_offsets":[0,12]},\
        "b":{"dtype":"BF16","shape":[3],"data_offsets":[12,18]},\
        "d":{"dtype":"F64","shape":[2],"data_offsets":[18,34]},\
        "n":{"dtype":"I64","shape":[2],"data_offsets":[34,50]},\
        "s":{"dtype":"F32","shape":[],"data_offsets":[50,54]}}
        """
        let url = try write(Self.file(header, f16 + bf16 + f64 + i64 + Self.bytes([(0.25 as Float).bitPattern])))
        let (tensors, _) = try Safetensors.read(url)
        XCTAssertEqual(tensors["h"]?.shape, [2, 3])
        XCTAssertEqual(tensors["h"]?.storage, [1, -2, 65504, 0x1p-24, .infinity, 0.33325195])
        XCTAssertEqual(tensors["b"]?.storage, [1, -2, 3.140625])
        XCTAssertEqual(tensors["d"]?.storage, [Float(0.1 as Double), -3.5])
        XCTAssertEqual(tensors["n"]?.storage, [-7, Float(1 << 40)])
        XCTAssertEqual(tensors["s"]?.shape, [])
        XCTAssertEqual(tensors["s"]?.storage, [0.25])
    }

    func testUnsupportedDtypesNameTensorAndDtype() throws {
        try assertRejected(#"{"idx":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8),
                           ["'idx'", "I32", "F32", "F16", "BF16", "F64", "I64"])
        try assertRejected(#"{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}"#, [1, 0], ["'m'", "BOOL"])
        try assertRejected(#"{"q":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#, [1, 0], ["'q'", "F8_E4M3"])
        try assertRejected(#"{"x":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0], ["'x'", "f32"])
    }

    // MARK: - Round trip and a real file

    func testCheckpointRoundTripStillWorks() throws {
        var rng = RandomGenerator(seed: 5)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, using: &rng), BatchNorm2d(channels: 2))
        let url = try write(Data(), name: "model.safetensors")
        try model.save(to: url, metadata: ["epoch": "3"])
        let (tensors, metadata) = try Safetensors.read(url)
        XCTAssertEqual(metadata, ["epoch": "3"])
        for (name, tensor) in model.stateDict() { XCTAssertEqual(tensors[name], tensor, name) }
        var other = RandomGenerator(seed: 6)
        let copy = try Sequential(Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, using: &other), BatchNorm2d(channels: 2))
        try copy.load(from: url)
        XCTAssertEqual(copy.stateDict().map(\.tensor), model.stateDict().map(\.tensor))
    }

    func testMissingFileSaysFileNotFound() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).safetensors")
        XCTAssertThrowsError(try Safetensors.read(url)) { error in
            XCTAssertEqual("\(error)", "\(url.path): file not found")
        }
    }
}
