import Foundation

/// Rewrites that keep a mutated input's framing valid, so the fuzzer's changes reach the parser
/// behind a length or checksum instead of all failing that one check. Each harness also feeds the
/// input unchanged, so the framing checks themselves are fuzzed too.
public enum Framing {
    /// A safetensors file from `header JSON, 0x00, tensor bytes`: the 8-byte little-endian header
    /// length is computed, so mutations of the JSON text (shapes, offsets, dtypes) keep a
    /// well-formed frame. Without a 0x00 the whole input is the header.
    public static func safetensors(fromHeaderAndBody input: Data) -> Data {
        let split = input.firstIndex(of: 0) ?? input.endIndex
        let header = input[input.startIndex..<split]
        let body = split < input.endIndex ? input[(split + 1)...] : Data()
        var file = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(header)
        file.append(body)
        return file
    }

    /// A safetensors file whose header is built from binary fields, so libFuzzer's integer
    /// mutations and comparison tracing act on shapes and offsets directly (JSON text hides them):
    /// byte 0 gives the tensor count (1–3); each tensor takes a dtype byte, a rank byte (0–4),
    /// `rank` little-endian Int64 dimensions and two Int64 data offsets; the rest is the data.
    /// Missing bytes read as zero.
    public static func safetensors(fromFields input: Data) -> Data {
        let bytes = [UInt8](input)
        var cursor = 0
        func byte() -> UInt8 { defer { cursor += 1 }; return cursor < bytes.count ? bytes[cursor] : 0 }
        func int64() -> Int64 { (0..<8).reduce(Int64(0)) { value, i in value | Int64(byte()) << (8 * Int64(i)) } }
        let dtypes = ["F32", "F64", "F16", "BF16", "I64", "U8"]
        var entries: [String] = []
        for t in 0..<(1 + Int(byte()) % 3) {
            let dtype = dtypes[Int(byte()) % dtypes.count]
            let shape = (0..<Int(byte()) % 5).map { _ in String(int64()) }
            let offsets = [int64(), int64()].map(String.init)
            entries.append("\"t\(t)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape.joined(separator: ","))],\"data_offsets\":[\(offsets.joined(separator: ","))]}")
        }
        var header = Data(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        return safetensors(fromHeaderAndBody: header + [0] + Data(bytes[min(cursor, bytes.count)...]))
    }

    /// The PNG with every chunk's CRC recomputed (libpng rejects a critical chunk with a bad CRC,
    /// which would stop nearly every mutation of IHDR or IDAT). Chunks are walked from byte 8;
    /// a length running past the end leaves the rest as it is.
    public static func pngFixingCRCs(_ input: Data) -> Data {
        var bytes = [UInt8](input)
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard length <= bytes.count - offset - 12 else { break }
            let crc = crc32(bytes[(offset + 4)..<(offset + 8 + length)])
            for i in 0..<4 { bytes[offset + 8 + length + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
            offset += 12 + length
        }
        return Data(bytes)
    }

    /// CRC-32 (ISO 3309, as PNG uses), bitwise: inputs are small and this keeps the harness free of zlib.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
