import CFoveaImageShims
import FoveaData
import Foundation

// JPEG through libjpeg, wrapped in C (CFoveaImageShims) because libjpeg's error recovery needs
// setjmp/longjmp, which Swift cannot call.
extension Image {
    /// Decodes baseline or progressive JPEG bytes to 8-bit grey or RGB. A truncated or corrupt
    /// stream is an error. `name` labels errors (a file path, usually).
    ///
    /// `limits` is checked against the header before anything is allocated: an image over
    /// `limits.maxPixels` is an error, and with `limits.maxSide` libjpeg decodes it at 1/2, 1/4 or
    /// 1/8 scale (see `ImageLimits`). No byte string makes this trap or allocate more than the
    /// limits allow.
    public init(jpegData data: Data, name: String = "<JPEG data>", limits: ImageLimits = .default) throws {
        let maxSide = Int32(clamping: limits.maxSide.map { max($0, 1) } ?? 0)
        // Progressive files keep 2 bytes per coefficient of the full-size image, up to 3 components.
        let (workingMemory, overflow) = max(limits.maxPixels, 0).multipliedReportingOverflow(by: 6)
        let maxMemory = overflow ? Int.max : workingMemory
        self = try data.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self).baseAddress
            var header = FoveaImageHeader()
            var message = [CChar](repeating: 0, count: 256)
            guard fovea_jpeg_header(base, raw.count, maxSide, &header, &message, message.count) == 0 else {
                throw DataError(file: name, "not a readable JPEG: \(text(of: message))")
            }
            return try Image(header: header, format: "JPEG", name: name, limits: limits) { pixels, message in
                fovea_jpeg_decode(base, raw.count, header.reduction, maxMemory, pixels.baseAddress, pixels.count,
                                  &message, message.count)
            }
        }
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
        try writeAtomically(jpegData(quality: quality), to: path)
    }
}
