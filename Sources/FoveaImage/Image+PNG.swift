import CPNG
import FoveaData
import Foundation

// PNG through libpng's simplified `png_image` API: it reports failure through its return value and
// `png_image.message`, never by longjmp, so it is safe to call from Swift.
extension Image {
    /// Decodes PNG bytes of any bit depth and colour type (palette, grey, grey+alpha, RGB, RGBA;
    /// 1–16 bits) to 8-bit grey, RGB or RGBA. Grey+alpha becomes RGBA.
    ///
    /// 16-bit samples without gamma information are taken as sRGB-encoded (libpng's
    /// `PNG_IMAGE_FLAG_16BIT_sRGB`), as image editors write them; files with a gAMA or sRGB chunk
    /// are converted to sRGB as those chunks say. `name` labels errors (a file path, usually).
    public init(pngData data: Data, name: String = "<PNG data>") throws {
        var decoded: Image?
        var failure: String?
        data.withUnsafeBytes { raw in
            var png = png_image()
            png.version = UInt32(PNG_IMAGE_VERSION)
            guard let base = raw.baseAddress, raw.count > 0 else { failure = "empty file"; return }
            // begin_read keeps a pointer into `raw`, so finish_read must run inside this closure.
            guard png_image_begin_read_from_memory(&png, base, raw.count) != 0 else {
                failure = pngMessage(png); return
            }
            var format = png.format & (UInt32(PNG_FORMAT_FLAG_COLOR) | UInt32(PNG_FORMAT_FLAG_ALPHA))
            if format == UInt32(PNG_FORMAT_FLAG_ALPHA) { format |= UInt32(PNG_FORMAT_FLAG_COLOR) }
            png.format = format
            png.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            let channels = format == UInt32(PNG_FORMAT_GRAY) ? 1 : format == UInt32(PNG_FORMAT_RGB) ? 3 : 4
            let width = Int(png.width), height = Int(png.height)
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            let ok = pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&png, nil, out.baseAddress, 0, nil)
            }
            guard ok != 0 else { failure = pngMessage(png); return }
            decoded = Image(width: width, height: height, channels: channels, pixels: pixels)
        }
        guard let decoded else { throw DataError(file: name, "not a readable PNG: \(failure ?? "unknown error")") }
        self = decoded
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
        try writeAtomically(try pngData(), to: path)
    }
}

/// The NUL-terminated message libpng left in `png.message`.
private func pngMessage(_ png: png_image) -> String {
    withUnsafeBytes(of: png.message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}
