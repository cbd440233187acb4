/// Images tiled in rows, each with an optional caption below — samples of a dataset,
/// misclassified examples, heatmap overlays.
public struct ImageGrid: Chart, Sendable {
    /// The tiles, in reading order.
    public var images: [Image]
    /// One caption per image, or none.
    public var labels: [String]
    /// One caption colour per image (green for right, red for wrong, say), or none for the default ink.
    public var labelColors: [Color]
    /// Tiles per row.
    public var columns: Int
    /// The longer side of each tile in pixels; images are scaled to it by nearest neighbour, so
    /// a 28 × 28 digit stays sharp.
    public var tileSize: Int
    /// The title above the grid; empty for none.
    public var title: String

    /// A grid of `images`; `columns` defaults to ⌈√N⌉.
    public init(images: [Image], labels: [String] = [], labelColors: [Color] = [], columns: Int? = nil,
                tileSize: Int = 96, title: String = "") {
        precondition(labels.isEmpty || labels.count == images.count, "\(images.count) images but \(labels.count) labels")
        precondition(labelColors.isEmpty || labelColors.count == images.count, "\(images.count) images but \(labelColors.count) label colours")
        self.images = images
        self.labels = labels
        self.labelColors = labelColors
        self.columns = max(1, columns ?? Int(Double(images.count).squareRoot().rounded(.up)))
        self.tileSize = tileSize
        self.title = title
    }

    public func drawing(font: Font?) -> Drawing {
        let gap = 8.0, labelSize = 12
        let captionHeight = labels.isEmpty ? 0 : Double(labelSize) + 8
        let rows = max(1, (images.count + columns - 1) / columns)
        let top = title.isEmpty ? gap : 40
        let cellWidth = Double(tileSize) + gap, cellHeight = Double(tileSize) + captionHeight + gap
        let width = gap + cellWidth * Double(min(columns, max(images.count, 1)))
        let height = top + cellHeight * Double(rows)
        var drawing = Drawing(width: Int(max(width, textWidth(title, size: 16, font: font) + 2 * gap)),
                              height: Int(height))
        if !title.isEmpty {
            drawing.text(title, at: Point(Double(drawing.width) / 2, 26), size: 16, color: .black, anchor: .middle)
        }
        for (i, image) in images.enumerated() {
            let x = gap + cellWidth * Double(i % columns), y = top + cellHeight * Double(i / columns)
            // Fit the longer side to the tile, centred.
            let scale = Double(tileSize) / Double(max(image.width, image.height))
            let w = (Double(image.width) * scale).rounded(), h = (Double(image.height) * scale).rounded()
            drawing.image(image, x: x + (Double(tileSize) - w) / 2, y: y + (Double(tileSize) - h) / 2, width: w, height: h)
            if !labels.isEmpty {
                drawing.text(labels[i], at: Point(x + Double(tileSize) / 2, y + Double(tileSize) + 4 + Double(labelSize)),
                             size: labelSize, color: labelColors.isEmpty ? .ink : labelColors[i], anchor: .middle)
            }
        }
        return drawing
    }
}
