import Foundation
import FoveaImage
import FoveaTrain

extension ModelComparison {
    /// The results as a Markdown table, best accuracy first.
    public static func table(_ results: [Result]) -> String {
        var lines = ["| model | test accuracy | parameters | MACs / image | training time | latency / image (batch 1) |",
                     "|---|---:|---:|---:|---:|---:|"]
        for r in results.sorted(by: { $0.accuracy > $1.accuracy }) {
            lines.append("| \(r.candidate.label) | \(String(format: "%.2f%%", 100 * r.accuracy)) | \(r.parameters) "
                         + "| \(String(format: "%.2fM", Double(r.multiplyAccumulates) / 1e6)) | \(String(format: "%.1f s", r.trainingSeconds)) "
                         + "| \(String(format: "%.2f ms", 1000 * r.latencySeconds)) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes `report.md` (the budget and the table) and `accuracy-vs-macs.{svg,png}`,
    /// `accuracy-vs-training-time.{svg,png}` into `folder`. PNGs need a font; without one the
    /// returned note says they were skipped.
    @discardableResult
    public static func writeReport(_ results: [Result], budget: String, to folder: String) throws -> String? {
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let report = """
            # Model comparison

            \(budget)

            \(table(results))

            MACs count convolutions and linear layers as torchvision does (`fovea summary`). Training time is the
            time spent in training steps; latency is the median single-image forward pass in evaluation mode
            without gradients. Charts: `accuracy-vs-macs.svg`, `accuracy-vs-training-time.svg` (and `.png`).

            """
        try report.write(to: url.appendingPathComponent("report.md"), atomically: true, encoding: .utf8)
        // One single-point series per model: a labelled scatter plot from the line chart.
        func scatter(_ title: String, _ xLabel: String, _ x: (Result) -> Double) -> LineChart {
            var chart = LineChart(title: title, xLabel: xLabel, yLabel: "test accuracy (%)", width: 900, height: 560)
            for r in results { chart.addSeries(r.candidate.label, x: [x(r)], y: [100 * r.accuracy]) }
            return chart
        }
        let charts: [(String, LineChart)] = [
            ("accuracy-vs-macs", scatter("Accuracy against compute", "log10 multiply-accumulates per image") {
                log10(Double(max($0.multiplyAccumulates, 1)))
            }),
            ("accuracy-vs-training-time", scatter("Accuracy against training time", "training time (s)") { $0.trainingSeconds }),
        ]
        for (name, chart) in charts { try chart.writeSVG(to: url.appendingPathComponent(name + ".svg").path) }
        guard let font = try? Font.systemDefault() else {
            return "PNG charts skipped: no font found (install fonts-dejavu-core or set FOVEA_FONT); the SVGs are written"
        }
        for (name, chart) in charts { try chart.writePNG(to: url.appendingPathComponent(name + ".png").path, font: font) }
        return nil
    }
}
