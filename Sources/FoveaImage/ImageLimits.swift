/// How large a decoded image may be, and at what size to decode it: the guard that keeps an
/// untrusted PNG or JPEG (a few bytes can declare 60000 × 60000 pixels) from exhausting memory.
///
/// Both limits are checked against the file's header, before anything is allocated for pixels.
public struct ImageLimits: Sendable, Equatable {
    /// The most pixels (width × height) Fovea allocates for one decoded image, after any reduction
    /// `maxSide` asks for. Larger images are refused with an error naming the file, its declared
    /// size and this limit. (For a progressive JPEG, whose decoder keeps every coefficient of the
    /// full-size image, it also caps that working memory at 6 bytes per allowed pixel.)
    public var maxPixels: Int
    /// When set, the image comes back with its longer side at most `maxSide`: the codec first
    /// reduces cheaply while decoding (JPEG by 1/2, 1/4 or 1/8 in its inverse DCT; PNG by averaging
    /// integer-sized boxes row by row, keeping one source row in memory), never below `maxSide`,
    /// and an antialiased resize does the rest. Interlaced PNGs cannot be reduced row by row: they
    /// are decoded at full size first, so their full size must be within `maxPixels`.
    /// Smaller images are returned as they are. `nil`: full size.
    public var maxSide: Int?

    /// Limits of `maxPixels` pixels, decoded at full size or, with `maxSide`, reduced.
    public init(maxPixels: Int = ImageLimits.defaultMaxPixels, maxSide: Int? = nil) {
        self.maxPixels = maxPixels
        self.maxSide = maxSide
    }

    /// Fovea's default pixel limit: 178,956,970 (about 13,400 × 13,400), twice the 89,478,485 at
    /// which Pillow starts warning of decompression bombs, which is where Pillow refuses. As bytes:
    /// 179 MB grey, 537 MB RGB, 716 MB RGBA. Raise it (`maxPixels`, or the CLI's
    /// `--max-image-pixels`) for larger files you trust.
    public static let defaultMaxPixels = 178_956_970

    /// Full-size decoding up to `defaultMaxPixels`.
    public static let `default` = ImageLimits()

    /// The longer side `fovea predict`, `explain` and `features` decode images at: large enough
    /// that the models' 28- or 224-pixel inputs lose nothing to it and explanations are drawn over
    /// a detailed picture; small enough that a 20000 × 20000 photo costs megabytes, not gigabytes.
    public static let workingSide = 1024

    /// Limits for looking at images rather than storing them: reduced to `workingSide`.
    public static func working(maxPixels: Int = defaultMaxPixels) -> ImageLimits {
        ImageLimits(maxPixels: maxPixels, maxSide: workingSide)
    }
}
