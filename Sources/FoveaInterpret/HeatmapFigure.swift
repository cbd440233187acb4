import FoveaImage
import FoveaTensor

/// Panels side by side — an input, heatmaps, overlays — each with a caption, a title above and a
/// colour bar (the legend: which colour means how much attribution) on the right.
public struct HeatmapFigure: Chart {
    /// The panels in order, each (caption, image); images are scaled to `panelSize` (longer side).
    public var panels: [(caption: String, image: Image)]
    /// The heading; empty for none.
    public var title: String
    /// The colormap the heatmaps use, drawn as the legend.
    public var colormap: Colormap
    /// The legend's label.
    public var legend: String
    /// The longer side of each panel in pixels.
    public var panelSize: Int
    /// Panels per row (all in one row by default).
    public var columns: Int

    public init(panels: [(caption: String, image: Image)], title: String = "", colormap: Colormap = .turbo,
                legend: String = "attribution", panelSize: Int = 224, columns: Int? = nil) {
        self.panels = panels; self.title = title; self.colormap = colormap; self.legend = legend; self.panelSize = panelSize
        self.columns = max(1, columns ?? panels.count)
    }

    public func drawing(font: Font?) -> Drawing {
        let gap = 16.0, captionSize = 13, titleSize = 15
        let size = Double(panelSize)
        let top = title.isEmpty ? gap : 44.0
        let barWidth = 16.0, legendWidth = 80.0
        let perRow = min(columns, max(panels.count, 1)), rows = (panels.count + perRow - 1) / perRow
        let rowHeight = size + 30
        let width = gap + Double(perRow) * (size + gap) + legendWidth
        let height = top + Double(rows) * rowHeight
        let titleWidth = (font?.width(of: title, size: titleSize) ?? Double(title.count) * 0.6 * Double(titleSize)) + 2 * gap
        var d = Drawing(width: Int(max(width, titleWidth).rounded(.up)), height: Int(height))
        if !title.isEmpty { d.text(title, at: Point(Double(d.width) / 2, 28), size: titleSize, color: .black, anchor: .middle) }
        for (i, panel) in panels.enumerated() {
            let x = gap + Double(i % perRow) * (size + gap), top = top + Double(i / perRow) * rowHeight
            let scale = size / Double(max(panel.image.width, panel.image.height))
            let w = (Double(panel.image.width) * scale).rounded(), h = (Double(panel.image.height) * scale).rounded()
            d.image(panel.image, x: x + (size - w) / 2, y: top + (size - h) / 2, width: w, height: h)
            d.text(panel.caption, at: Point(x + size / 2, top + size + 19), size: captionSize, anchor: .middle)
        }
        // The legend: the colormap from 1 (top) to 0 (bottom) with ticks.
        let bx = gap + Double(perRow) * (size + gap)
        let strip = Image(width: 1, height: 256, channels: 3, pixels: (0..<256).reversed().flatMap { i -> [UInt8] in
            let c = colormap.table[i]
            return [c.red, c.green, c.blue]
        })
        d.image(strip, x: bx, y: top, width: barWidth, height: size)
        d.rectangle(x: bx, y: top, width: barWidth, height: size, stroke: .ink, lineWidth: 1)
        for (value, label) in [(1.0, "high"), (0.5, "0.5"), (0.0, "low")] {
            let y = top + (1 - value) * size
            d.line(from: Point(bx + barWidth, y), to: Point(bx + barWidth + 4, y), color: .ink)
            d.text(label, at: Point(bx + barWidth + 7, y + 4), size: 11)
        }
        d.text(legend, at: Point(bx + barWidth / 2, top + size + 19), size: 11, anchor: .middle)
        return d
    }
}

/// An image scaled so its longer side is `side` (bilinear, antialiased when shrinking), for
/// display: small inputs are enlarged to be seen, and large ones shrunk so that overlays are
/// computed at the panel's size rather than the photo's (the figure's nearest-neighbour drawing
/// would throw the extra pixels away, aliased).
func displayed(_ image: Image, to side: Int) -> Image {
    let longer = max(image.width, image.height)
    guard longer != side else { return image }
    let s = Double(side) / Double(longer)
    return image.resized(width: max(1, Int(Double(image.width) * s)), height: max(1, Int(Double(image.height) * s)))
}
