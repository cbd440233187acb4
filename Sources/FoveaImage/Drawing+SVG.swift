import Foundation

extension Drawing {
    /// The drawing as a standalone SVG 1.1 document; text stays text (`<text>`), images are
    /// embedded as PNG data URIs.
    public func svg() -> String {
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" font-family="DejaVu Sans, Verdana, Arial, sans-serif">"#,
            #"<rect width="100%" height="100%" fill="\#(background.hexString)"/>"#,
        ]
        for shape in shapes { lines.append(svgElement(shape)) }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `svg()` to `path`, atomically.
    public func writeSVG(to path: String) throws {
        try writeAtomically(Data(svg().utf8), to: path)
    }

    private func svgElement(_ shape: Shape) -> String {
        switch shape {
        case let .rectangle(x, y, w, h, fill, stroke, lineWidth):
            let strokeAttributes = stroke.map { #" stroke="\#($0.hexString)" stroke-width="\#(number(lineWidth))""# } ?? ""
            return #"<rect x="\#(number(x))" y="\#(number(y))" width="\#(number(w))" height="\#(number(h))" fill="\#(fill?.hexString ?? "none")"\#(strokeAttributes)/>"#
        case let .polyline(points, color, lineWidth):
            let list = points.map { "\(number($0.x)),\(number($0.y))" }.joined(separator: " ")
            return #"<polyline points="\#(list)" fill="none" stroke="\#(color.hexString)" stroke-width="\#(number(lineWidth))" stroke-linejoin="round" stroke-linecap="round"/>"#
        case let .circle(center, radius, fill):
            return #"<circle cx="\#(number(center.x))" cy="\#(number(center.y))" r="\#(number(radius))" fill="\#(fill.hexString)"/>"#
        case let .text(string, position, size, color, anchor, vertical):
            let rotation = vertical ? #" transform="rotate(-90 \#(number(position.x)) \#(number(position.y)))""# : ""
            return #"<text x="\#(number(position.x))" y="\#(number(position.y))" font-size="\#(size)" fill="\#(color.hexString)" text-anchor="\#(anchor.rawValue)"\#(rotation)>\#(escaped(string))</text>"#
        case let .image(image, x, y, w, h):
            let encoded = (try? image.pngData())?.base64EncodedString() ?? ""
            return #"<image x="\#(number(x))" y="\#(number(y))" width="\#(number(w))" height="\#(number(h))" image-rendering="pixelated" preserveAspectRatio="none" href="data:image/png;base64,\#(encoded)"/>"#
        }
    }
}

/// A coordinate with at most two decimals and no trailing zeros.
private func number(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}

/// `text` with XML's special characters escaped.
private func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
