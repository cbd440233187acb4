import ArgumentParser
import Fovea
import FoveaImage
import Foundation

/// `fovea eval RUN`: accuracy, per-class accuracy and the confusion matrix of a trained run.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Evaluate a trained run on its dataset's test split.")

    @Argument(help: "The run folder (written by `fovea train`).") var runFolder: String
    @OptionGroup var data: DataOption
    @OptionGroup var weights: WeightCheckOption
    @Option(help: "Checkpoint to evaluate: best or last (default: best if present).") var checkpoint: String?

    func run() throws {
        let config = try RunFolder.readConfiguration(at: runFolder)
        let info = try DatasetInfo.named(config.dataset)
        let trained = try TrainedRun(path: runFolder, classes: info.classNames.count, inputChannels: info.channels,
                                     checkpoint: checkpoint, nonFinite: weights.policy)
        weights.show(trained.weightReport)
        let (test, _) = try data.load(info, .test, recorded: config.dataDirectory)
        let loader = try DataLoader(dataset: test, batchSize: 500, shuffle: false, normalization: info.normalization)
        let result = try evaluate(trained.model, on: loader, classes: test.classNames.count)
        print("\(config.model), \(trained.checkpointDescription), on \(config.dataset) test split (\(test.count) images)")
        print("accuracy \(fmt(100 * result.accuracy, 2))%, loss \(fmt(result.loss, 4))\n")
        print(confusionText(result, classNames: test.classNames))
        let chart = ConfusionMatrixChart(counts: result.confusion, classNames: test.classNames,
                                         title: String(format: "\(config.model) (\(trained.checkpointName)): test accuracy %.2f%%", 100 * result.accuracy))
        let base = URL(fileURLWithPath: runFolder).appendingPathComponent("eval-confusion").path
        try chart.writeSVG(to: base + ".svg")
        if let font = try? Font.systemDefault() {
            try chart.writePNG(to: base + ".png", font: font)
            print("\nconfusion matrix picture: \(base).png")
        } else {
            print("\nconfusion matrix picture: \(base).svg (no font for PNG text: install fonts-dejavu-core or set FOVEA_FONT)")
        }
    }
}

/// Per-class accuracy and the confusion matrix (rows: truth, columns: prediction) as text.
func confusionText(_ e: Evaluation, classNames: [String]) -> String {
    let w = max(6, (classNames.map(\.count).max() ?? 0) + 1)
    var lines = ["class".padding(toLength: w, withPad: " ", startingAt: 0) + " accuracy"]
    for (name, acc) in zip(classNames, e.perClassAccuracy) {
        lines.append(name.padding(toLength: w, withPad: " ", startingAt: 0) + String(format: " %7.2f%%", 100 * acc))
    }
    lines.append("\nconfusion matrix (rows: true class, columns: predicted)")
    lines.append(String(repeating: " ", count: w) + e.confusion.indices.map { String(format: "%6d", $0) }.joined())
    for (i, row) in e.confusion.enumerated() {
        lines.append("\(i) \(classNames[i])".padding(toLength: w, withPad: " ", startingAt: 0) + row.map { String(format: "%6d", $0) }.joined())
    }
    return lines.joined(separator: "\n")
}
