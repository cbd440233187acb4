import CFoveaImageShims
import CPNG
import FoveaData
import Foundation

// PNG decoding runs in C (CFoveaImageShims): row by row through libpng's low-level API, whose error
// recovery needs setjmp/longjmp, so that a large image can be reduced while it is read. Encoding
// uses libpng's simplified `png_image` API, which reports failure through its return value and
// `png_image.message`, never by longjmp, so it is safe to call from Swift.
extension Image {
    /// Decodes PNG bytes of any bit depth and colour type (palette, grey, grey+alpha, RGB, RGBA;
    /// 1–16 bits) to 8-bit grey, RGB or RGBA. Grey+alpha becomes RGBA.
    ///
    /// The pixels are those of libpng's simplified API with `PNG_IMAGE_FLAG_16BIT_sRGB`, which
    /// Fovea used before: 16-bit samples without gamma information are taken as sRGB-encoded, as
    /// image editors write them, and rounded to the nearest 8-bit value, `(v · 255 + 32767) / 65535`
    /// (libpng's `png_set_scale_16`); files with a gAMA or sRGB chunk are converted to sRGB as those
    /// chunks say. `name` labels errors (a file path, usually).
    ///
    /// `limits` is checked against the header before anything is allocated: an image over
    /// `limits.maxPixels` is an error, and with `limits.maxSide` it is reduced while it is read
    /// (see `ImageLimits`). No byte string makes this trap or allocate more than the limits allow.
    public init(pngData data: Data, name: String = "<PNG data>", limits: ImageLimits = .default) throws {
        let maxSide = Int32(clamping: limits.maxSide.map { max($0, 1) } ?? 0)
        self = try data.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self).baseAddress
            var header = FoveaImageHeader()
            var message = [CChar](repeating: 0, count: 256)
            guard fovea_png_header(base, raw.count, maxSide, &header, &message, message.count) == 0 else {
                throw DataError(file: name, "not a readable PNG: \(text(of: message))")
            }
            return try Image(header: header, format: "PNG", name: name, limits: limits) { pixels, message in
                fovea_png_decode(base, raw.count, header.reduction, pixels.baseAddress, pixels.count, &message, message.count)
            }
        }
    }

    /// The image encoded as an 8-bit PNG (grey, RGB or RGBA, as `channels` says).
    public func pngData() throws -> Data {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(width)
        png.height = UInt32(height)
        png.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
        return try pixels.withUnsafeBytes { source in
            // First call measures (memory == nil), second writes: libpng's documented two-pass use.
            var size = 0
            guard png_image_write_to_memory(&png, nil, &size, 0, source.baseAddress, 0, nil) != 0 else {
                throw DataError(file: "<PNG data>", "cannot be encoded: \(pngMessage(png))")
            }
            var data = Data(count: size)
            let ok = data.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&png, out.baseAddress, &size, 0, source.baseAddress, 0, nil)
            }
            guard ok != 0 else { throw DataError(file: "<PNG data>", "cannot be encoded: \(pngMessage(png))") }
            return data.prefix(size)
        }
    }

    /// Writes the image as a PNG to `path`, atomically (temporary file, then rename).
    public func writePNG(to path: String) throws {
        try writeAtomically(pngData(), to: path)
    }
}

/// The NUL-terminated message libpng left in `png.message`.
private func pngMessage(_ png: png_image) -> String {
    withUnsafeBytes(of: png.message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}
