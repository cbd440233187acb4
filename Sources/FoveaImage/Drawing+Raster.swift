extension Drawing {
    /// The drawing rasterised to an RGB image, antialiased; `font` renders the text.
    public func rendered(font: Font) -> Image {
        var canvas = Canvas(width: width, height: height, background: background)
        for shape in shapes {
            switch shape {
            case let .rectangle(x, y, w, h, fill, stroke, lineWidth):
                if let fill { canvas.fill(x: x, y: y, width: w, height: h, color: fill) }
                if let stroke {
                    let half = lineWidth / 2
                    canvas.fill(x: x - half, y: y - half, width: w + lineWidth, height: lineWidth, color: stroke)
                    canvas.fill(x: x - half, y: y + h - half, width: w + lineWidth, height: lineWidth, color: stroke)
                    canvas.fill(x: x - half, y: y + half, width: lineWidth, height: h - lineWidth, color: stroke)
                    canvas.fill(x: x + w - half, y: y + half, width: lineWidth, height: h - lineWidth, color: stroke)
                }
            case let .polyline(points, color, lineWidth):
                canvas.stroke(points, color: color, lineWidth: lineWidth)
            case let .circle(center, radius, fill):
                canvas.disc(center: center, radius: radius, color: fill)
            case let .text(string, position, size, color, anchor, vertical):
                canvas.draw(string, at: position, size: size, color: color, anchor: anchor, vertical: vertical, font: font)
            case let .image(image, x, y, w, h):
                canvas.draw(image, x: x, y: y, width: w, height: h)
            }
        }
        return canvas.image
    }

    /// Writes `rendered(font:)` to `path` as a PNG, atomically.
    public func writePNG(to path: String, font: Font) throws {
        try rendered(font: font).writePNG(to: path)
    }
}

/// An RGB pixel buffer with antialiased painting. Coverage is computed analytically per pixel —
/// area overlap for rectangles, distance to the shape for strokes and discs — and paints with
/// `pixel += coverage · (colour − pixel)`.
struct Canvas {
    let width: Int
    let height: Int
    private var pixels: [UInt8]

    init(width: Int, height: Int, background: Color) {
        self.width = width
        self.height = height
        pixels = Image(width: width, height: height, filledWith: [background.red, background.green, background.blue]).pixels
    }

    var image: Image { Image(width: width, height: height, channels: 3, pixels: pixels) }

    mutating func blend(_ x: Int, _ y: Int, _ color: Color, _ coverage: Double) {
        guard x >= 0, x < width, y >= 0, y < height, coverage > 0 else { return }
        let a = min(coverage, 1), i = (y * width + x) * 3
        func mix(_ old: UInt8, _ new: UInt8) -> UInt8 { UInt8((Double(old) + a * (Double(new) - Double(old))).rounded()) }
        pixels[i] = mix(pixels[i], color.red)
        pixels[i + 1] = mix(pixels[i + 1], color.green)
        pixels[i + 2] = mix(pixels[i + 2], color.blue)
    }

    /// Fills a rectangle; edge pixels get the fraction of their area the rectangle covers.
    mutating func fill(x: Double, y: Double, width w: Double, height h: Double, color: Color) {
        guard w > 0, h > 0 else { return }
        func overlap(_ pixel: Int, _ low: Double, _ high: Double) -> Double {
            max(0, min(Double(pixel + 1), high) - max(Double(pixel), low))
        }
        let columns = max(0, Int(x.rounded(.down)))..<min(width, Int((x + w).rounded(.up)))
        let rows = max(0, Int(y.rounded(.down)))..<min(height, Int((y + h).rounded(.up)))
        guard !columns.isEmpty, !rows.isEmpty else { return }
        for py in rows {
            let coverY = overlap(py, y, y + h)
            for px in columns { blend(px, py, color, coverY * overlap(px, x, x + w)) }
        }
    }

    /// Strokes a polyline with round joins: each pixel takes its largest coverage over all
    /// segments, then is painted once, so joins are not painted twice.
    mutating func stroke(_ points: [Point], color: Color, lineWidth: Double) {
        guard let first = points.first else { return }
        let reach = lineWidth / 2 + 1
        let minX = max(0, Int((points.map(\.x).min()! - reach).rounded(.down)))
        let maxX = min(width - 1, Int((points.map(\.x).max()! + reach).rounded(.up)))
        let minY = max(0, Int((points.map(\.y).min()! - reach).rounded(.down)))
        let maxY = min(height - 1, Int((points.map(\.y).max()! + reach).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        let boxWidth = maxX - minX + 1
        var coverage = [Double](repeating: 0, count: boxWidth * (maxY - minY + 1))
        let segments = points.count == 1 ? [(first, first)] : Array(zip(points, points.dropFirst()))
        for (a, b) in segments {
            let x0 = max(minX, Int((min(a.x, b.x) - reach).rounded(.down)))
            let x1 = min(maxX, Int((max(a.x, b.x) + reach).rounded(.up)))
            let y0 = max(minY, Int((min(a.y, b.y) - reach).rounded(.down)))
            let y1 = min(maxY, Int((max(a.y, b.y) + reach).rounded(.up)))
            guard x0 <= x1, y0 <= y1 else { continue }
            for py in y0...y1 {
                for px in x0...x1 {
                    let d = distance(from: Point(Double(px) + 0.5, Double(py) + 0.5), toSegment: a, b)
                    let c = min(max(lineWidth / 2 + 0.5 - d, 0), 1)
                    let i = (py - minY) * boxWidth + (px - minX)
                    coverage[i] = max(coverage[i], c)
                }
            }
        }
        for (i, c) in coverage.enumerated() where c > 0 {
            blend(minX + i % boxWidth, minY + i / boxWidth, color, c)
        }
    }

    /// Fills a disc.
    mutating func disc(center: Point, radius: Double, color: Color) {
        let x0 = Int((center.x - radius - 1).rounded(.down)), x1 = Int((center.x + radius + 1).rounded(.up))
        let y0 = Int((center.y - radius - 1).rounded(.down)), y1 = Int((center.y + radius + 1).rounded(.up))
        for py in y0...y1 {
            for px in x0...x1 {
                let dx = Double(px) + 0.5 - center.x, dy = Double(py) + 0.5 - center.y
                blend(px, py, color, min(max(radius + 0.5 - (dx * dx + dy * dy).squareRoot(), 0), 1))
            }
        }
    }

    /// Paints a line of text. Vertical text is turned a quarter turn counter-clockwise: text
    /// coordinate `u` (along the baseline) goes up the page, `v` (below the baseline) goes right.
    mutating func draw(_ string: String, at position: Point, size: Int, color: Color,
                       anchor: TextAnchor, vertical: Bool, font: Font) {
        let mask = font.rasterize(string, size: size)
        let advance = font.width(of: string, size: size)
        let offset = Int((anchor == .start ? 0 : anchor == .middle ? advance / 2 : advance).rounded())
        let x = Int(position.x.rounded()), y = Int(position.y.rounded())
        for my in 0..<mask.height {
            for mx in 0..<mask.width {
                let value = mask.coverage[my * mask.width + mx]
                guard value > 0 else { continue }
                let (px, py) = vertical ? (x + my - mask.ascent, y - (mx - offset) - 1)
                                        : (x + mx - offset, y + my - mask.ascent)
                blend(px, py, color, Double(value) / 255)
            }
        }
    }

    /// Paints `image` scaled into a rectangle with nearest-neighbour sampling; alpha is honoured.
    mutating func draw(_ image: Image, x: Double, y: Double, width w: Double, height h: Double) {
        let left = Int(x.rounded()), top = Int(y.rounded())
        let columns = Int((x + w).rounded()) - left, rows = Int((y + h).rounded()) - top
        guard columns > 0, rows > 0 else { return }
        let rgba = image.converted(toChannels: 4)
        for row in 0..<rows {
            let sy = min(image.height - 1, (row * image.height) / rows)
            for column in 0..<columns {
                let sx = min(image.width - 1, (column * image.width) / columns)
                let i = (sy * image.width + sx) * 4
                let color = Color(red: rgba.pixels[i], green: rgba.pixels[i + 1], blue: rgba.pixels[i + 2])
                blend(left + column, top + row, color, Double(rgba.pixels[i + 3]) / 255)
            }
        }
    }
}

/// Euclidean distance from `p` to the segment `a`–`b`.
func distance(from p: Point, toSegment a: Point, _ b: Point) -> Double {
    let dx = b.x - a.x, dy = b.y - a.y
    let lengthSquared = dx * dx + dy * dy
    let t = lengthSquared == 0 ? 0 : min(max(((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared, 0), 1)
    let ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy)
    return (ex * ex + ey * ey).squareRoot()
}
