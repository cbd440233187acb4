import Foundation
import FoveaImage
import FoveaTrain

/// The charts of a run folder: `loss.{svg,png}`, `accuracy.{svg,png}` and `confusion.{svg,png}`,
/// redrawn after every epoch. Set it as `RunFolder.reportWriter` (as `fovea train` does).
public struct RunCharts: RunReportWriter {
    /// Charts with the default font (`Font.systemDefault`).
    public init() {}

    /// Writes the three charts. The SVGs always; the PNGs need a font (fonts-dejavu-core, or
    /// FOVEA_FONT) and are skipped with the returned note otherwise.
    public func write(_ report: RunReport, to url: URL) throws -> String? {
        let (model, history, evaluation, classNames) = (report.configuration.model, report.history, report.evaluation, report.classNames)
        let epochs = history.map { Double($0.epoch + 1) }
        let loss = LineChart(title: "\(model): loss", xLabel: "epoch", yLabel: "cross-entropy")
            .adding("train", x: epochs, y: history.map(\.trainLoss))
            .adding("test", x: epochs, y: history.map(\.testLoss))
        let accuracy = LineChart(title: "\(model): accuracy", xLabel: "epoch", yLabel: "accuracy (%)")
            .adding("train", x: epochs, y: history.map { 100 * $0.trainAccuracy })
            .adding("test", x: epochs, y: history.map { 100 * $0.testAccuracy })
        let confusion = ConfusionMatrixChart(counts: evaluation.confusion, classNames: classNames,
                                             title: String(format: "\(model): test confusion (accuracy %.2f%%)", 100 * evaluation.accuracy))
        let charts: [(String, Chart)] = [("loss", loss), ("accuracy", accuracy), ("confusion", confusion)]
        for (name, chart) in charts { try chart.writeSVG(to: url.appendingPathComponent(name + ".svg").path) }
        guard let font = try? Font.systemDefault() else {
            return "PNG charts skipped: no font found (install fonts-dejavu-core or set FOVEA_FONT); the SVGs are written"
        }
        for (name, chart) in charts { try chart.writePNG(to: url.appendingPathComponent(name + ".png").path, font: font) }
        return nil
    }
}
