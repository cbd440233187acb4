import Foundation
import FoveaTensor

/// The folder a training run writes: `config.json`, `metrics.jsonl`, `metrics.csv`, `health.jsonl`,
/// `summary.md`, `loss`/`accuracy`/`confusion` charts (SVG and PNG) and `checkpoints/` (`last` and `best`, see `Checkpoint`). Every file is written atomically.
public struct RunFolder {
    public let url: URL

    /// Set when charts could not be drawn as PNG (no font); says why.
    public private(set) var chartNote: String?

    /// Where the trainer writes checkpoints.
    public var checkpoints: URL { url.appendingPathComponent("checkpoints", isDirectory: true) }

    /// Creates the folder (and parents) if needed.
    public init(path: String) throws {
        url = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes the whole record of a finished run.
    public mutating func write(configuration: TrainingConfiguration, model: String, dataset: String, history: [EpochMetrics],
                      evaluation: Evaluation, classNames: [String], health: [LayerHealth]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let config = RunConfiguration(model: model, dataset: dataset, training: configuration)
        try writeAtomically(try encoder.encode(config), to: url.appendingPathComponent("config.json"))

        encoder.outputFormatting = [.sortedKeys]
        let lines = try history.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: url.appendingPathComponent("metrics.jsonl"))

        var csv = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second\n"
        for e in history {
            csv += "\(e.epoch + 1),\(e.trainLoss),\(e.trainAccuracy),\(e.testLoss),\(e.testAccuracy),\(e.seconds),\(e.imagesPerSecond)\n"
        }
        try writeAtomically(Data(csv.utf8), to: url.appendingPathComponent("metrics.csv"))

        let healthLines = try health.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try writeAtomically(Data((healthLines.joined(separator: "\n") + "\n").utf8), to: url.appendingPathComponent("health.jsonl"))
        try writeAtomically(try encoder.encode(evaluation), to: url.appendingPathComponent("evaluation.json"))
        chartNote = try writeCharts(model: model, history: history, evaluation: evaluation, classNames: classNames)
        try writeAtomically(Data(summary(config, history, evaluation, classNames).utf8), to: url.appendingPathComponent("summary.md"))
    }

    private func summary(_ config: RunConfiguration, _ history: [EpochMetrics], _ evaluation: Evaluation, _ classNames: [String]) -> String {
        let t = config.training
        let seconds = history.reduce(0) { $0 + $1.seconds }
        var s = """
        # \(config.model) on \(config.dataset)

        Test accuracy **\(pct(evaluation.accuracy))** (loss \(String(format: "%.4f", evaluation.loss))) after \(history.count) epochs in \(String(format: "%.0f", seconds)) s.
        ![loss](loss.png) ![accuracy](accuracy.png)

        Optimizer \(t.optimizer.rawValue), learning rate \(t.learningRate), \(t.schedule.rawValue) schedule, batch \(t.batchSize), weight decay \(t.weightDecay), augmentation \(t.augmentation.rawValue), label smoothing \(t.labelSmoothing), seed \(t.seed).

        | epoch | train loss | train acc | test loss | test acc | seconds | img/s |
        |---|---|---|---|---|---|---|

        """
        for e in history {
            s += "| \(e.epoch + 1) | \(String(format: "%.4f", e.trainLoss)) | \(pct(e.trainAccuracy)) | \(String(format: "%.4f", e.testLoss)) | \(pct(e.testAccuracy)) | \(String(format: "%.1f", e.seconds)) | \(Int(e.imagesPerSecond)) |\n"
        }
        s += "\n![confusion matrix](confusion.png)\n"
        s += "\n## Per-class test accuracy\n\n| class | accuracy |\n|---|---|\n"
        for (name, acc) in zip(classNames, evaluation.perClassAccuracy) { s += "| \(name) | \(pct(acc)) |\n" }
        return s
    }

    private func pct(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
}

/// What `config.json` holds.
public struct RunConfiguration: Codable, Equatable {
    public var model: String
    public var dataset: String
    public var training: TrainingConfiguration
}
