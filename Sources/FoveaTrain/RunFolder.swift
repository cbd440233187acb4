import Foundation
import FoveaTensor

/// The folder a training run writes: `config.json` (when training starts), then after every epoch
/// `metrics.jsonl`, `metrics.csv`, `health.jsonl`, `evaluation.json`, `summary.md` and the
/// pictures of `reportWriter` (with `RunCharts`, the `loss`/`accuracy`/`confusion` charts, SVG and PNG), then `checkpoints/` (`last` and `best`, see
/// `Checkpoint`). Every file is written atomically, so a run killed at any moment is a valid run
/// folder that `fovea eval`, `predict` and `diagnose` open and `fovea train --resume` continues.
public struct RunFolder: Sendable {
    public let url: URL
    /// The folder as the user named it, for messages.
    public let path: String

    /// Set when charts could not be drawn as PNG (no font); says why.
    public internal(set) var chartNote: String?

    /// Draws the pictures after each epoch (the CLI sets `FoveaReports.RunCharts`); nil writes
    /// metrics, evaluation, summary and checkpoints only.
    public var reportWriter: (any RunReportWriter)?

    /// Where the trainer writes checkpoints.
    public var checkpoints: URL { url.appendingPathComponent("checkpoints", isDirectory: true) }

    /// Creates the folder (and parents) if needed. Use `open(path:mode:configuration:)` to train
    /// into it: that checks what the folder already holds.
    public init(path: String) throws {
        self.path = path
        url = URL(fileURLWithPath: path, isDirectory: true)
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw RunFolderError(folder: path, "cannot be created as a folder (\(ErrorPhrase.fileRead(error)))")
        }
    }

    /// Writes `config.json` (training writes it before the first step).
    public func writeConfiguration(_ configuration: RunConfiguration) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(configuration), to: url.appendingPathComponent("config.json"))
    }

    /// Writes the record of the epochs so far: `recordProgress`, then `recordReport`.
    public mutating func record(_ configuration: RunConfiguration, history: [EpochMetrics], evaluation: Evaluation,
                                classNames: [String], health: [LayerHealth]) throws {
        try recordProgress(history: history, health: health)
        chartNote = try recordReport(configuration, history: history, evaluation: evaluation, classNames: classNames)
    }

    /// Writes `metrics.jsonl` and `health.jsonl`, each replaced whole, so neither holds an epoch or a
    /// step twice, also after a resume that redoes some. The trainer writes them before each
    /// epoch's checkpoint: a resume keeps the health records of the steps before its checkpoint.
    public func recordProgress(history: [EpochMetrics], health: [LayerHealth]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeAtomically(jsonLines(history, encoder), to: url.appendingPathComponent("metrics.jsonl"))
        try writeAtomically(jsonLines(health, encoder), to: url.appendingPathComponent("health.jsonl"))
    }

    /// Writes what people read: `metrics.csv`, `evaluation.json`, the pictures of `reportWriter`
    /// and `summary.md`. Returns the writer's note (set when PNGs could not be drawn).
    public func recordReport(_ configuration: RunConfiguration, history: [EpochMetrics], evaluation: Evaluation,
                             classNames: [String]) throws -> String? {
        var csv = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second\n"
        for e in history {
            csv += "\(e.epoch + 1),\(e.trainLoss),\(e.trainAccuracy),\(e.testLoss),\(e.testAccuracy),\(e.seconds),\(e.imagesPerSecond)\n"
        }
        try writeAtomically(Data(csv.utf8), to: url.appendingPathComponent("metrics.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeAtomically(encoder.encode(evaluation), to: url.appendingPathComponent("evaluation.json"))
        let report = RunReport(configuration: configuration, history: history, evaluation: evaluation, classNames: classNames)
        let note = try reportWriter?.write(report, to: url)
        try writeAtomically(Data(summary(configuration, history, evaluation, classNames).utf8), to: url.appendingPathComponent("summary.md"))
        return note
    }

    /// Writes the whole record of a finished run: `config.json` and `record`.
    public mutating func write(configuration: TrainingConfiguration, model: String, dataset: String, history: [EpochMetrics],
                               evaluation: Evaluation, classNames: [String], health: [LayerHealth]) throws {
        let config = RunConfiguration(model: model, dataset: dataset, training: configuration)
        try writeConfiguration(config)
        try record(config, history: history, evaluation: evaluation, classNames: classNames, health: health)
    }

    private func jsonLines<T: Encodable>(_ items: [T], _ encoder: JSONEncoder) throws -> Data {
        var data = Data()
        for item in items {
            try data.append(encoder.encode(item))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    private func summary(_ config: RunConfiguration, _ history: [EpochMetrics], _ evaluation: Evaluation, _ classNames: [String]) -> String {
        let t = config.training
        // The picture links only when a writer draws them (`RunCharts` writes these names).
        let charts = reportWriter != nil
        let seconds = history.reduce(0) { $0 + $1.seconds }
        let progress = history.count < t.epochs
            ? "after \(history.count) of \(t.epochs) epochs (the run is still training or was stopped; `fovea train --resume` continues it)"
            : "after \(history.count) epochs"
        let limit = config.trainLimit.map { ", first \($0) training images" } ?? ""
        var s = """
        # \(config.model) on \(config.dataset)

        Test accuracy **\(pct(evaluation.accuracy))** (loss \(String(format: "%.4f", evaluation.loss))) \(progress) in \(String(format: "%.0f", seconds)) s.\(charts ? "\n![loss](loss.png) ![accuracy](accuracy.png)" : "")

        Optimizer \(t.optimizer.rawValue), learning rate \(t.learningRate), \(t.schedule.rawValue) schedule, batch \(t.batchSize), weight decay \(t.weightDecay), augmentation \(t.augmentation.rawValue), label smoothing \(t.labelSmoothing), seed \(t.seed)\(limit).

        | epoch | train loss | train acc | test loss | test acc | seconds | img/s |
        |---|---|---|---|---|---|---|

        """
        for e in history {
            s += "| \(e.epoch + 1) | \(String(format: "%.4f", e.trainLoss)) | \(pct(e.trainAccuracy)) | \(String(format: "%.4f", e.testLoss)) | \(pct(e.testAccuracy)) | \(String(format: "%.1f", e.seconds)) | \(Int(e.imagesPerSecond)) |\n"
        }
        if charts { s += "\n![confusion matrix](confusion.png)\n" }
        s += "\n## Per-class test accuracy\n\n| class | accuracy |\n|---|---|\n"
        for (name, acc) in zip(classNames, evaluation.perClassAccuracy) { s += "| \(name) | \(pct(acc)) |\n" }
        return s
    }

    private func pct(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
}
