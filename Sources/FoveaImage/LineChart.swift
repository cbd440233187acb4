/// A line chart: several named series over shared axes, with ticks, grid, axis titles, a title
/// and a legend — loss and accuracy curves, typically.
///
///     var chart = LineChart(title: "Loss", xLabel: "epoch", yLabel: "cross-entropy")
///     chart.addSeries("train", y: trainLoss)       // x = 1, 2, 3, …
///     chart.addSeries("test", y: testLoss)
///     try chart.writeSVG(to: "loss.svg"); try chart.writePNG(to: "loss.png")
public struct LineChart: Chart, Sendable {
    /// One named curve.
    public struct Series: Sendable {
        /// The legend entry.
        public var name: String
        /// The x values, in drawing order.
        public var x: [Double]
        /// The y values; non-finite ones break the line.
        public var y: [Double]
        /// The line colour.
        public var color: Color
    }

    /// The title above the plot.
    public var title: String
    /// The x-axis title.
    public var xLabel: String
    /// The y-axis title.
    public var yLabel: String
    /// Page width in pixels.
    public var width: Int
    /// Page height in pixels.
    public var height: Int
    /// A fixed y range (accuracy in 0…1, say); nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// The curves, in legend order.
    public private(set) var series: [Series] = []

    /// An empty chart.
    public init(title: String, xLabel: String = "", yLabel: String = "", width: Int = 800, height: Int = 500,
                yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
        self.yRange = yRange
    }

    /// Adds a series with explicit x values; `color` defaults to the next categorical colour.
    public mutating func addSeries(_ name: String, x: [Double], y: [Double], color: Color? = nil) {
        precondition(x.count == y.count, "series \(name): \(x.count) x values but \(y.count) y values")
        series.append(Series(name: name, x: x, y: y,
                             color: color ?? Color.categorical[series.count % Color.categorical.count]))
    }

    /// Adds a series whose x values are 1, 2, 3, … (epochs).
    public mutating func addSeries(_ name: String, y: [Double], color: Color? = nil) {
        addSeries(name, x: (1...max(1, y.count)).prefix(y.count).map(Double.init), y: y, color: color)
    }

    /// The chart with one more series (for building in one expression).
    public func adding(_ name: String, x: [Double]? = nil, y: [Double], color: Color? = nil) -> LineChart {
        var copy = self
        if let x { copy.addSeries(name, x: x, y: y, color: color) } else { copy.addSeries(name, y: y, color: color) }
        return copy
    }

    public func drawing(font: Font?) -> Drawing {
        let titleSize = 16, labelSize = 13, tickSize = 11, legendSize = 12
        let points = series.flatMap { s in zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite } }
        let xs = points.map(\.0), ys = points.map(\.1)
        let xScale = AxisScale(covering: xs.min() ?? 0, xs.max() ?? 1,
                               integerSteps: !xs.isEmpty && xs.allSatisfy { $0 == $0.rounded() }, tight: xs.count > 1)
        let yScale = yRange.map { AxisScale(covering: $0.lowerBound, $0.upperBound) }
            ?? AxisScale(covering: ys.min() ?? 0, ys.max() ?? 1)
        let yTicks = yScale.ticks

        // Margins from the text they hold.
        let yTickWidth = yTicks.map { textWidth(yScale.label($0), size: tickSize, font: font) }.max() ?? 0
        let top = title.isEmpty ? 16.0 : 44
        let left = 12 + (yLabel.isEmpty ? 0 : Double(labelSize) + 10) + yTickWidth + 8
        let bottom = 8 + Double(tickSize) + 8 + (xLabel.isEmpty ? 0 : Double(labelSize) + 10) + 6
        let plotLeft = pixelCenter(left), plotTop = pixelCenter(top)
        let plotRight = pixelCenter(Double(width) - 24), plotBottom = pixelCenter(Double(height) - bottom)
        func px(_ x: Double) -> Double { xScale.position(of: x, from: plotLeft, to: plotRight) }
        func py(_ y: Double) -> Double {
            yScale.position(of: min(max(y, yScale.lower), yScale.upper), from: plotBottom, to: plotTop)
        }

        var drawing = Drawing(width: width, height: height)
        if !title.isEmpty {
            drawing.text(title, at: Point(Double(width) / 2, 28), size: titleSize, color: .black, anchor: .middle)
        }
        // Grid and tick labels.
        for tick in yTicks {
            let y = pixelCenter(py(tick))
            drawing.line(from: Point(plotLeft, y), to: Point(plotRight, y), color: .gridLine)
            drawing.text(yScale.label(tick), at: Point(plotLeft - 6, y + 4), size: tickSize, anchor: .end)
        }
        for tick in xScale.ticks {
            let x = pixelCenter(px(tick))
            drawing.line(from: Point(x, plotTop), to: Point(x, plotBottom), color: .gridLine)
            drawing.text(xScale.label(tick), at: Point(x, plotBottom + 8 + Double(tickSize)), size: tickSize, anchor: .middle)
        }
        drawing.rectangle(x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop, stroke: .ink)
        if !xLabel.isEmpty {
            drawing.text(xLabel, at: Point((plotLeft + plotRight) / 2, Double(height) - 10), size: labelSize, anchor: .middle)
        }
        if !yLabel.isEmpty {
            drawing.text(yLabel, at: Point(12 + Double(labelSize), (plotTop + plotBottom) / 2), size: labelSize,
                         anchor: .middle, vertical: true)
        }

        // Curves: runs of finite points; markers when points are few enough to tell apart.
        for s in series {
            var runs: [[Point]] = [[]]
            for (x, y) in zip(s.x, s.y) {
                if x.isFinite && y.isFinite { runs[runs.count - 1].append(Point(px(x), py(y))) } else { runs.append([]) }
            }
            for run in runs where !run.isEmpty {
                drawing.polyline(run, color: s.color, lineWidth: 2)
                if s.x.count <= 40 { for p in run { drawing.circle(center: p, radius: 3, fill: s.color) } }
            }
        }

        // Legend in the plot corner that hides the fewest data points.
        guard !series.isEmpty else { return drawing }
        let rowHeight = 18.0
        let boxWidth = 10 + 22 + 6 + (series.map { textWidth($0.name, size: legendSize, font: font) }.max() ?? 0) + 10
        let boxHeight = 8 + rowHeight * Double(series.count)
        let inset = 10.0
        let corners = [
            Point(plotRight - inset - boxWidth, plotTop + inset), Point(plotLeft + inset, plotTop + inset),
            Point(plotRight - inset - boxWidth, plotBottom - inset - boxHeight), Point(plotLeft + inset, plotBottom - inset - boxHeight),
        ]
        let plotted = points.map { Point(px($0.0), py($0.1)) }
        func hidden(_ corner: Point) -> Int {
            plotted.filter { $0.x >= corner.x - 4 && $0.x <= corner.x + boxWidth + 4 && $0.y >= corner.y - 4 && $0.y <= corner.y + boxHeight + 4 }.count
        }
        let corner = corners.min { hidden($0) < hidden($1) }!
        let boxX = corner.x.rounded(.down) + 0.5, boxY = corner.y.rounded(.down) + 0.5
        drawing.rectangle(x: boxX, y: boxY, width: boxWidth.rounded(), height: boxHeight, fill: .white, stroke: Color(hex: 0xBBBBBB))
        for (i, s) in series.enumerated() {
            let y = boxY + 4 + rowHeight * (Double(i) + 0.5)
            drawing.line(from: Point(boxX + 10, y), to: Point(boxX + 32, y), color: s.color, lineWidth: 2.5)
            drawing.text(s.name, at: Point(boxX + 38, y + 4), size: legendSize)
        }
        return drawing
    }
}
