import CZlib
import Foundation

/// A PNG assembled chunk by chunk (PNG spec §5), independent of libpng's writer, for bit depths
/// and colour types `Image` never writes. `rows` are the raw scanlines; each gets filter type 0.
/// `chunks` (PLTE, tRNS, gAMA, …) go between IHDR and IDAT. With `interlaced`, `rows` are still
/// the whole image's scanlines (8- or 16-bit samples only) and are split into the seven Adam7 passes.
func handMadePNG(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]],
                 chunks: [(type: String, body: [UInt8])] = [], interlaced: Bool = false) -> Data {
    let raw: [UInt8]
    if interlaced {
        let samples = [0: 1, 2: 3, 4: 2, 6: 4][colorType] ?? 1
        let bytesPerPixel = samples * Int(bitDepth) / 8
        raw = adam7Passes(width: width, height: height).flatMap { pass in
            pass.rows.flatMap { y in
                [UInt8(0)] + pass.columns.flatMap { x in rows[y][(x * bytesPerPixel)..<((x + 1) * bytesPerPixel)] }
            }
        }
    } else {
        raw = rows.flatMap { [UInt8(0)] + $0 }
    }
    var compressedSize = compressBound(uLong(raw.count))
    var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
    _ = compress(&compressed, &compressedSize, raw, uLong(raw.count))
    let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, interlaced ? 1 : 0]
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", header)
    for extra in chunks { bytes += pngChunk(extra.type, extra.body) }
    bytes += pngChunk("IDAT", Array(compressed.prefix(Int(compressedSize)))) + pngChunk("IEND", [])
    return Data(bytes)
}

/// A PNG header declaring any size, with a few bytes of pixel data: what a decompression bomb or a
/// hostile file looks like to the decoder before it allocates.
func pngDeclaring(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8) -> Data {
    let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]  // zlib of one zero byte
    let header = bigEndian(width) + bigEndian(height) + [bitDepth, colorType, 0, 0, 0]
    return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", header) + pngChunk("IDAT", idat) + pngChunk("IEND", []))
}

/// One chunk: length, type, body, CRC over type and body.
func pngChunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + body
    let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
    return bigEndian(UInt32(body.count)) + typed + bigEndian(crc)
}

private func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }

/// The Adam7 passes (PNG spec §8.2): for each, the image rows and columns it holds; empty passes
/// (which have no scanlines at all in the file) are left out.
private func adam7Passes(width: Int, height: Int) -> [(rows: [Int], columns: [Int])] {
    let starts = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    return starts.compactMap { x0, y0, dx, dy in
        let rows = Array(stride(from: y0, to: height, by: dy)), columns = Array(stride(from: x0, to: width, by: dx))
        return rows.isEmpty || columns.isEmpty ? nil : (rows, columns)
    }
}
