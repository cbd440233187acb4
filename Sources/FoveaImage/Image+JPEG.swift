import CFoveaImageShims
import FoveaData
import Foundation

// JPEG through libjpeg, wrapped in C (CFoveaImageShims) because libjpeg's error recovery needs
// setjmp/longjmp, which Swift cannot call.
extension Image {
    /// Decodes baseline or progressive JPEG bytes to 8-bit grey or RGB. A truncated or corrupt
    /// stream is an error. `name` labels errors (a file path, usually).
    public init(jpegData data: Data, name: String = "<JPEG data>") throws {
        var result = FoveaDecodedImage()
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { raw in
            fovea_jpeg_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &result, &message, message.count)
        }
        guard status == 0, let pointer = result.pixels else {
            throw DataError(file: name, "not a readable JPEG: \(text(of: message))")
        }
        defer { fovea_image_free(pointer) }
        let count = Int(result.width) * Int(result.height) * Int(result.channels)
        self.init(width: Int(result.width), height: Int(result.height), channels: Int(result.channels),
                  pixels: Array(UnsafeBufferPointer(start: pointer, count: count)))
    }

    /// The image encoded as a JPEG at `quality` (1…100). RGBA images lose their alpha channel.
    public func jpegData(quality: Int = 90) throws -> Data {
        let source = channels == 4 ? converted(toChannels: 3) : self
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = source.pixels.withUnsafeBufferPointer { pixels in
            fovea_jpeg_encode(pixels.baseAddress, Int32(width), Int32(height), Int32(source.channels),
                              Int32(min(max(quality, 1), 100)), &output, &size, &message, message.count)
        }
        guard status == 0, let output else {
            throw DataError(file: "<JPEG data>", "cannot be encoded: \(text(of: message))")
        }
        defer { fovea_image_free(output) }
        return Data(bytes: output, count: size)
    }

    /// Writes the image as a JPEG to `path`, atomically (temporary file, then rename).
    public func writeJPEG(to path: String, quality: Int = 90) throws {
        try writeAtomically(try jpegData(quality: quality), to: path)
    }
}

/// The NUL-terminated C string in `buffer`.
private func text(of buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
