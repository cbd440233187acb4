import Foundation

/// A picture built from data — a line chart, a confusion matrix, an image grid — that lays
/// itself out as a `Drawing` and so writes both SVG and PNG.
public protocol Chart {
    /// The chart laid out as drawing commands; `font` measures text widths (an estimate when nil).
    func drawing(font: Font?) -> Drawing
}

extension Chart {
    /// The chart as an SVG document. Text is laid out with `font`, or with the system default
    /// font when there is one, or with an estimate of its width.
    public func svg(font: Font? = nil) -> String {
        drawing(font: font ?? (try? Font.systemDefault())).svg()
    }

    /// The chart rasterised to an RGB image, with text rendered in `font` (default: `Font.systemDefault()`).
    public func rendered(font: Font? = nil) throws -> Image {
        let font = try font ?? Font.systemDefault()
        return drawing(font: font).rendered(font: font)
    }

    /// Writes the chart as SVG to `path`, atomically.
    public func writeSVG(to path: String, font: Font? = nil) throws {
        try writeAtomically(Data(svg(font: font).utf8), to: path)
    }

    /// Writes the chart as PNG to `path`, atomically. Throws `FontError` when no font is available.
    public func writePNG(to path: String, font: Font? = nil) throws {
        try rendered(font: font).writePNG(to: path)
    }
}

/// The advance width of `text` at `size` pixels: measured with `font`, or estimated at 0.6 em
/// per character (a little wider than DejaVu Sans's average, so boxes fit).
func textWidth(_ text: String, size: Int, font: Font?) -> Double {
    font?.width(of: text, size: size) ?? Double(text.count) * 0.6 * Double(size)
}

/// `value` moved to the nearest pixel centre, so 1-pixel lines fall on one row or column.
func pixelCenter(_ value: Double) -> Double { value.rounded(.down) + 0.5 }
