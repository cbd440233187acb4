/// A vector picture — rectangles, lines, circles, text and images on a white page — that renders
/// to SVG (`svg()`) and to pixels (`rendered(font:)`) from the same list of shapes, so a chart's
/// two files always agree. Coordinates are pixels, origin at the top-left, y pointing down.
public struct Drawing: Sendable {
    /// Page width in pixels.
    public let width: Int
    /// Page height in pixels.
    public let height: Int
    /// The page colour.
    public var background: Color
    /// The shapes, painted in order.
    public private(set) var shapes: [Shape] = []

    /// An empty page.
    public init(width: Int, height: Int, background: Color = .white) {
        precondition(width > 0 && height > 0, "a drawing needs a positive size, got \(width)x\(height)")
        self.width = width
        self.height = height
        self.background = background
    }

    /// One thing to paint.
    public enum Shape: Sendable {
        /// An axis-aligned rectangle, filled and/or outlined.
        case rectangle(x: Double, y: Double, width: Double, height: Double, fill: Color?, stroke: Color?, lineWidth: Double)
        /// Connected line segments through `points`, with round joins and caps.
        case polyline(points: [Point], color: Color, lineWidth: Double)
        /// A filled disc.
        case circle(center: Point, radius: Double, fill: Color)
        /// One line of text; `position` is on the baseline, at the anchor.
        case text(String, position: Point, size: Int, color: Color, anchor: TextAnchor, vertical: Bool)
        /// An image scaled (nearest neighbour, so pixels stay crisp) into a rectangle.
        case image(Image, x: Double, y: Double, width: Double, height: Double)
    }

    /// Adds a rectangle.
    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double,
                                   fill: Color? = nil, stroke: Color? = nil, lineWidth: Double = 1) {
        shapes.append(.rectangle(x: x, y: y, width: width, height: height, fill: fill, stroke: stroke, lineWidth: lineWidth))
    }

    /// Adds a line from `start` to `end`.
    public mutating func line(from start: Point, to end: Point, color: Color, lineWidth: Double = 1) {
        shapes.append(.polyline(points: [start, end], color: color, lineWidth: lineWidth))
    }

    /// Adds a polyline through `points`.
    public mutating func polyline(_ points: [Point], color: Color, lineWidth: Double = 2) {
        shapes.append(.polyline(points: points, color: color, lineWidth: lineWidth))
    }

    /// Adds a filled disc.
    public mutating func circle(center: Point, radius: Double, fill: Color) {
        shapes.append(.circle(center: center, radius: radius, fill: fill))
    }

    /// Adds a line of text whose baseline passes through `position`. `vertical` text is rotated
    /// a quarter turn counter-clockwise (reading bottom to top), as y-axis titles are.
    public mutating func text(_ string: String, at position: Point, size: Int = 12, color: Color = .ink,
                              anchor: TextAnchor = .start, vertical: Bool = false) {
        shapes.append(.text(string, position: position, size: size, color: color, anchor: anchor, vertical: vertical))
    }

    /// Adds an image scaled into the given rectangle.
    public mutating func image(_ image: Image, x: Double, y: Double, width: Double, height: Double) {
        shapes.append(.image(image, x: x, y: y, width: width, height: height))
    }
}

/// A position in a drawing, in pixels.
public struct Point: Sendable, Equatable {
    /// Pixels from the left edge.
    public var x: Double
    /// Pixels from the top edge.
    public var y: Double
    /// The point (`x`, `y`).
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// Which point of a text line its position names.
public enum TextAnchor: String, Sendable {
    /// The start of the line.
    case start
    /// The middle.
    case middle
    /// The end.
    case end
}
