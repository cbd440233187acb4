import Foundation
import FoveaImage
import FoveaTrain

extension HealthReport {
    /// Writes `gradient-norm-vs-depth` (the last recorded step, plus the first for contrast) and
    /// `gradient-norm-vs-step` (one line per layer, log10 scale) as SVG and PNG into `folder`.
    /// Returns the files written.
    public func writeCharts(to folder: URL) throws -> [String] {
        guard let first = records.map(\.step).min(), let last = records.map(\.step).max() else { return [] }
        func byDepth(_ step: Int) -> (x: [Double], y: [Double]) {
            let rows = records.filter { $0.step == step }.sorted { $0.depth < $1.depth }
            return (rows.map { Double($0.depth) }, rows.map { log10(max($0.gradientNorm, 1e-30)) })
        }
        var depth = LineChart(title: "Gradient norm by layer depth (0 = input side)", xLabel: "layer depth",
                              yLabel: "log10 ‖∂L/∂W‖")
        let (x0, y0) = byDepth(first), (x1, y1) = byDepth(last)
        depth.addSeries("step \(first)", x: x0, y: y0)
        if last != first { depth.addSeries("step \(last)", x: x1, y: y1) }

        var steps = LineChart(title: "Gradient norm per layer over training", xLabel: "step", yLabel: "log10 ‖∂L/∂W‖")
        for layer in layers {
            let rows = records.filter { $0.layer == layer }.sorted { $0.step < $1.step }
            steps.addSeries(layer, x: rows.map { Double($0.step) }, y: rows.map { log10(max($0.gradientNorm, 1e-30)) })
        }
        var written: [String] = []
        let font = try? Font.systemDefault()
        for (name, chart) in [("gradient-norm-vs-depth", depth), ("gradient-norm-vs-step", steps)] {
            let base = folder.appendingPathComponent(name).path
            try chart.writeSVG(to: base + ".svg", font: font)
            written.append(base + ".svg")
            if let font {
                try chart.writePNG(to: base + ".png", font: font)
                written.append(base + ".png")
            }
        }
        return written
    }
}
