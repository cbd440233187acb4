import CFreeType
import Foundation

/// A TrueType/OpenType font, rasterised with FreeType, for the text in PNG charts.
///
/// Not thread-safe (FreeType faces are not): use one `Font` per thread.
public final class Font {
    /// The font file.
    public let path: String
    private var library: FT_Library?
    private var face: FT_Face?
    private var glyphs: [GlyphKey: Glyph] = [:]

    /// Loads the font at `path`; throws `FontError` when FreeType cannot open it.
    public init(path: String) throws {
        self.path = path
        guard FT_Init_FreeType(&library) == 0, let library else {
            throw FontError("FreeType could not be initialised")
        }
        let status = FT_New_Face(library, path, 0, &face)
        guard status == 0, face != nil else {
            FT_Done_FreeType(library)
            self.library = nil
            throw FontError("\(path): not a font FreeType can open (error \(status))")
        }
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    /// The default font: the file named by the environment variable `FOVEA_FONT` if set, else
    /// DejaVu Sans (or another sans-serif TrueType font) from the usual system font folders.
    /// Throws `FontError` saying how to install one when none is found.
    public static func systemDefault() throws -> Font {
        if let override = ProcessInfo.processInfo.environment["FOVEA_FONT"], !override.isEmpty {
            return try Font(path: override)
        }
        guard let path = FontSearch.defaultFontPath() else {
            throw FontError("no TrueType font found in \(FontSearch.folders.joined(separator: ", ")); "
                + "install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set FOVEA_FONT to a .ttf file")
        }
        return try Font(path: path)
    }

    /// Ascent and descent (both positive, in pixels) at `size` pixels per em.
    func verticalMetrics(size: Int) -> (ascent: Int, descent: Int) {
        setSize(size)
        let metrics = face!.pointee.size.pointee.metrics
        return (Int(metrics.ascender + 63) >> 6, Int(-metrics.descender + 63) >> 6)
    }

    /// The advance width of `text` at `size` pixels per em.
    public func width(of text: String, size: Int) -> Double {
        text.unicodeScalars.reduce(0) { $0 + glyph($1, size: size).advance }
    }

    /// `text` as a coverage mask (one byte per pixel, 255 = fully inked) whose baseline lies
    /// `ascent` rows below its top edge.
    func rasterize(_ text: String, size: Int) -> TextMask {
        let (ascent, descent) = verticalMetrics(size: size)
        let width = max(1, Int(width(of: text, size: size).rounded(.up)) + 2)
        var mask = TextMask(width: width, height: ascent + descent, ascent: ascent)
        var pen = 0.0
        for scalar in text.unicodeScalars {
            let glyph = glyph(scalar, size: size)
            let left = Int(pen.rounded()) + glyph.left, top = ascent - glyph.top
            for row in 0..<glyph.rows {
                for column in 0..<glyph.columns {
                    let x = left + column, y = top + row
                    guard x >= 0, x < mask.width, y >= 0, y < mask.height else { continue }
                    let value = glyph.coverage[row * glyph.columns + column]
                    mask.coverage[y * mask.width + x] = max(mask.coverage[y * mask.width + x], value)
                }
            }
            pen += glyph.advance
        }
        return mask
    }

    private func setSize(_ size: Int) {
        FT_Set_Pixel_Sizes(face, 0, FT_UInt(size))
    }

    /// One glyph's bitmap and metrics at `size`, cached.
    private func glyph(_ scalar: Unicode.Scalar, size: Int) -> Glyph {
        let key = GlyphKey(scalar: scalar, size: size)
        if let cached = glyphs[key] { return cached }
        setSize(size)
        var glyph = Glyph(left: 0, top: 0, columns: 0, rows: 0, coverage: [], advance: Double(size) / 2)
        if FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_RENDER)) == 0, let slot = face!.pointee.glyph {
            let bitmap = slot.pointee.bitmap
            let columns = Int(bitmap.width), rows = Int(bitmap.rows), pitch = Int(bitmap.pitch)
            var coverage = [UInt8](repeating: 0, count: columns * rows)
            if let buffer = bitmap.buffer {
                for row in 0..<rows {
                    for column in 0..<columns { coverage[row * columns + column] = buffer[row * pitch + column] }
                }
            }
            glyph = Glyph(left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top),
                          columns: columns, rows: rows, coverage: coverage,
                          advance: Double(slot.pointee.advance.x) / 64)  // 26.6 fixed point
        }
        glyphs[key] = glyph
        return glyph
    }
}

/// A font could not be found or opened.
public struct FontError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong and what to do about it.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { "font: \(message)" }
}

/// Rendered text: coverage bytes, `(height, width)` row-major.
struct TextMask {
    var width: Int
    var height: Int
    /// Rows from the top edge down to the baseline.
    var ascent: Int
    var coverage: [UInt8]

    init(width: Int, height: Int, ascent: Int) {
        self.width = width
        self.height = height
        self.ascent = ascent
        self.coverage = [UInt8](repeating: 0, count: width * height)
    }
}

private struct GlyphKey: Hashable {
    var scalar: Unicode.Scalar
    var size: Int
}

private struct Glyph {
    var left: Int, top: Int, columns: Int, rows: Int
    var coverage: [UInt8]
    var advance: Double
}

/// Where to look for a font when `FOVEA_FONT` is not set.
enum FontSearch {
    /// System font folders on Linux distributions and macOS.
    static let folders = ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts"]
    /// Preferred files, best first: DejaVu Sans is what Debian's fonts-dejavu-core ships.
    static let preferred = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "FreeSans.ttf", "Arial.ttf"]

    /// The best font file found, if any: a preferred name anywhere under `folders`, else the first
    /// `.ttf` in sorted order.
    static func defaultFontPath() -> String? {
        var candidates: [String] = []
        for folder in folders {
            guard let paths = FileManager.default.subpaths(atPath: folder) else { continue }
            candidates += paths.filter { $0.lowercased().hasSuffix(".ttf") }.sorted().map { folder + "/" + $0 }
        }
        for name in preferred {
            if let match = candidates.first(where: { ($0 as NSString).lastPathComponent == name }) { return match }
        }
        return candidates.first
    }
}
