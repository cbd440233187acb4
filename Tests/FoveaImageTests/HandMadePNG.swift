import CZlib
import Foundation

/// A PNG assembled chunk by chunk (PNG spec §5), independent of libpng's writer, for bit depths
/// and colour types `Image` never writes. `rows` are the raw scanlines; each gets filter type 0.
func handMadePNG(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]]) -> Data {
    func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
    func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        let crc = typed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return bigEndian(UInt32(body.count)) + typed + bigEndian(crc)
    }
    let raw: [UInt8] = rows.flatMap { [UInt8(0)] + $0 }
    var compressedSize = compressBound(uLong(raw.count))
    var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
    _ = compress(&compressed, &compressedSize, raw, uLong(raw.count))
    let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [bitDepth, colorType, 0, 0, 0]
    let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        + chunk("IHDR", header) + chunk("IDAT", Array(compressed.prefix(Int(compressedSize)))) + chunk("IEND", [])
    return Data(bytes)
}
