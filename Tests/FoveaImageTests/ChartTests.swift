import FoveaImage
import Foundation
import FoveaTestSupport
import XCTest

final class ChartTests: XCTestCase {
    func lossChart() -> LineChart {
        LineChart(title: "Loss & accuracy", xLabel: "epoch", yLabel: "loss", width: 640, height: 400)
            .adding("train", y: [2.1, 1.2, 0.8, 0.6, 0.5])
            .adding("test <held out>", y: [2.0, 1.4, 1.0, 0.9, .nan])
    }

    func testLineChartSVGHoldsItsText() {
        let svg = lossChart().svg()
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertTrue(svg.contains(#"width="640" height="400""#))
        for text in ["Loss &amp; accuracy", "train", "test &lt;held out&gt;", "epoch", "loss"] {
            XCTAssertTrue(svg.contains(">\(text)</text>"), "missing <text> \(text)")
        }
        // Each series draws a curve and a legend swatch in its colour.
        for colour in Color.categorical.prefix(2) {
            XCTAssertGreaterThanOrEqual(svg.components(separatedBy: ##"<polyline points"##).filter { $0.contains(##"stroke="\##(colour.hexString)""##) }.count, 2)
        }
    }

    func testLineChartPNGHasItsSizeAndSeriesColours() throws {
        let folder = try temporaryFolder().path
        // .ci/run installs fonts-dejavu-core; without a font this fails with FontError saying so.
        let font = try Font.systemDefault()
        try lossChart().writePNG(to: folder + "/loss.png", font: font)
        try lossChart().writeSVG(to: folder + "/loss.svg", font: font)
        let image = try Image(contentsOfFile: folder + "/loss.png")
        XCTAssertEqual([image.width, image.height, image.channels], [640, 400, 3])
        let colours = Set(stride(from: 0, to: image.pixels.count, by: 3).map {
            Color(red: image.pixels[$0], green: image.pixels[$0 + 1], blue: image.pixels[$0 + 2])
        })
        XCTAssertTrue(colours.contains(Color.categorical[0]) && colours.contains(Color.categorical[1]))
        XCTAssertTrue(colours.contains(.white))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/loss.svg"))
    }

    func testConfusionMatrix() throws {
        let chart = ConfusionMatrixChart(labels: [0, 0, 1, 1, 1, 2], predictions: [0, 1, 1, 1, 2, 2],
                                         classNames: ["cat", "dog", "bird"])
        XCTAssertEqual(chart.counts, [[1, 1, 0], [0, 2, 1], [0, 0, 1]])
        let svg = chart.svg()
        for text in ["cat", "dog", "bird", "predicted", "true", "Confusion matrix", "2"] {
            XCTAssertTrue(svg.contains(">\(text)</text>"), "missing <text> \(text)")
        }
        let font = try Font.systemDefault()
        let image = try chart.rendered(font: font)
        let drawing = chart.drawing(font: font)
        XCTAssertEqual([image.width, image.height], [drawing.width, drawing.height])
    }

    func testImageGridLayout() throws {
        let red = Image(width: 2, height: 2, filledWith: [255, 0, 0])
        let blue = Image(width: 4, height: 2, filledWith: [0, 0, 255])
        let grid = ImageGrid(images: [red, blue, red], columns: 2, tileSize: 10)
        let font = try Font.systemDefault()
        let image = try grid.rendered(font: font)
        // gap 8 + 2 × (tile 10 + gap 8) = 44 wide; 2 rows → 44 high.
        XCTAssertEqual([image.width, image.height], [44, 44])
        XCTAssertEqual(Array(image.pixels[(8 * 44 + 8) * 3..<(8 * 44 + 8) * 3 + 3]), [255, 0, 0])
        // The 4 × 2 blue image is fitted to 10 × 5, centred vertically: rows 10…14 at x = 26…35.
        XCTAssertEqual(Array(image.pixels[(12 * 44 + 30) * 3..<(12 * 44 + 30) * 3 + 3]), [0, 0, 255])
        XCTAssertEqual(Array(image.pixels[(9 * 44 + 30) * 3..<(9 * 44 + 30) * 3 + 3]), [255, 255, 255])
        XCTAssertTrue(grid.svg().contains("data:image/png;base64,"))
    }

    func testMissingFontIsAClearError() {
        setenv("FOVEA_FONT", "/nonexistent/NoSuchFont.ttf", 1)
        defer { unsetenv("FOVEA_FONT") }
        assertThrowsMentioning("NoSuchFont.ttf") { _ = try Font.systemDefault() }
        assertThrowsMentioning("NoSuchFont.ttf") { try lossChart().writePNG(to: NSTemporaryDirectory() + "never.png") }
        // SVG needs no font: text widths fall back to an estimate.
        XCTAssertTrue(lossChart().svg().contains(">train</text>"))
    }
}
