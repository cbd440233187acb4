import CFoveaImageShims
import FoveaData

// The checks shared by the PNG and JPEG decoders: the C shims read a header, Swift checks it
// against the limits (overflow-safe), allocates exactly the decoded size, and the shims fill it.
extension Image {
    /// Decodes an image whose header the shim has read: refuses sizes over `limits`, then lets
    /// `decode` fill a buffer of the decoded size (returning 0; 2 if the codec's working memory
    /// would exceed what the limit allows; otherwise 1, each with a message), then
    /// resizes to `limits.maxSide` if the codec's reduction left it larger.
    init(header: FoveaImageHeader, format: String, name: String, limits: ImageLimits,
         decode: (UnsafeMutableBufferPointer<UInt8>, inout [CChar]) -> Int32) throws {
        let declared = "\(header.width)x\(header.height)"
        guard header.width > 0, header.height > 0, header.output_width > 0, header.output_height > 0 else {
            throw DataError(file: name, "not a readable \(format): declares an empty \(declared) image")
        }
        guard [1, 3, 4].contains(header.channels) else {
            throw DataError(file: name, "not a readable \(format): \(header.channels) channels after decoding")
        }
        let width = header.output_width, height = header.output_height
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, count <= limits.maxPixels else {
            let reduced = header.reduction > 1 ? ", \(width)x\(height) even when reduced," : ""
            throw DataError(file: name, "declares a \(declared) image\(reduced) over the limit of \(limits.maxPixels) pixels; "
                + "raise the limit (--max-image-pixels, or ImageLimits.maxPixels) only for files you trust")
        }
        if header.interlaced != 0 && header.reduction > 1 {
            // Adam7 rows are complete only after the last pass, so the whole image is decoded first.
            let (full, overflow) = header.width.multipliedReportingOverflow(by: header.height)
            guard !overflow, full <= limits.maxPixels else {
                throw DataError(file: name, "is an interlaced \(declared) \(format), which is decoded at full size before "
                    + "reducing, over the limit of \(limits.maxPixels) pixels; raise the limit (--max-image-pixels, "
                    + "or ImageLimits.maxPixels) only for files you trust, or save it non-interlaced")
            }
        }
        let (bytes, bytesOverflow) = count.multipliedReportingOverflow(by: Int(header.channels))
        guard !bytesOverflow else { throw DataError(file: name, "declares a \(declared) image, too large to address") }

        var message = [CChar](repeating: 0, count: 256)
        var status: Int32 = 0
        let pixels = [UInt8](unsafeUninitializedCapacity: bytes) { buffer, initialized in
            status = decode(buffer, &message)
            initialized = status == 0 ? bytes : 0
        }
        guard status == 0 else {
            if status == 2 {
                throw DataError(file: name, "declares a \(declared) image that needs more working memory to decode than the limit "
                    + "of \(limits.maxPixels) pixels allows (\(text(of: message))); raise the limit (--max-image-pixels, "
                    + "or ImageLimits.maxPixels) only for files you trust")
            }
            throw DataError(file: name, "not a readable \(format): \(text(of: message))")
        }
        var image = Image(width: width, height: height, channels: Int(header.channels), pixels: pixels)
        if let side = limits.maxSide { image = image.fitted(within: max(side, 1)) }
        self = image
    }

    /// The image scaled down (antialiased) so its longer side is at most `side`; itself if it fits.
    func fitted(within side: Int) -> Image {
        let longer = max(width, height)
        guard longer > side else { return self }
        let scale = Double(side) / Double(longer)
        return resized(width: min(side, max(1, Int((Double(width) * scale).rounded()))),
                       height: min(side, max(1, Int((Double(height) * scale).rounded()))))
    }
}

/// The NUL-terminated C string in `buffer`.
func text(of buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
