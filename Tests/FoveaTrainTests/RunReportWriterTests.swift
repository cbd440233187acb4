import XCTest
import Foundation
import FoveaTestSupport
import Fovea

/// The run folder's picture hook: FoveaTrain draws nothing itself, calls the writer it is given
/// after every epoch, and passes the writer's note on.
final class RunReportWriterTests: XCTestCase {
    /// Records what it was asked to draw (the trainer calls it from its report thread).
    final class RecordingWriter: RunReportWriter, @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [(epochs: Int, folder: URL)] = []
        var calls: [(epochs: Int, folder: URL)] { lock.withLock { seen } }

        func write(_ report: RunReport, to folder: URL) throws -> String? {
            lock.withLock { seen.append((report.history.count, folder)) }
            try Data("drawn".utf8).write(to: folder.appendingPathComponent("picture.txt"))
            return "note after \(report.history.count) epochs"
        }
    }

    func trainer(into folder: URL, writer: RunReportWriter?) throws -> Trainer {
        var rng = RandomGenerator(seed: 3)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, using: &rng), ReLU(),
                                   MaxPool2d(kernelSize: 2), Flatten(), Linear(inputFeatures: 4 * 36, outputFeatures: 3, using: &rng))
        var config = TrainingConfiguration()
        config.epochs = 2
        config.batchSize = 32
        let trainer = try Trainer(model: model, train: try DataLoader(dataset: try TrainerTests.shapes(64, seed: 1), batchSize: 32, seed: 3),
                                  test: try DataLoader(dataset: try TrainerTests.shapes(32, seed: 2), batchSize: 32, shuffle: false),
                                  classes: 3, configuration: config)
        trainer.classNames = ["bar", "column", "square"]
        var run = try RunFolder.open(path: folder.path, mode: .new, configuration: trainer.runConfiguration)
        run.reportWriter = writer
        trainer.runFolder = run
        return trainer
    }

    func testTheWriterDrawsEveryEpochAndItsNoteIsKept() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let writer = RecordingWriter()
        let trainer = try trainer(into: folder, writer: writer)
        _ = try trainer.fit()
        XCTAssertEqual(writer.calls.map(\.epochs), [1, 2], "once per epoch, in order")
        XCTAssertEqual(writer.calls.map { $0.folder.standardizedFileURL.path }, [folder.standardizedFileURL.path, folder.standardizedFileURL.path])
        XCTAssertEqual(trainer.runFolder?.chartNote, "note after 2 epochs")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("picture.txt").path))
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.contains("![loss](loss.png)") && summary.contains("![confusion matrix](confusion.png)"), summary)
    }

    func testWithoutAWriterTheRunHasNoPicturesAndNoLinksToThem() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let trainer = try trainer(into: folder, writer: nil)
        _ = try trainer.fit()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(files.filter { $0.hasSuffix(".png") || $0.hasSuffix(".svg") }, [])
        for file in ["config.json", "metrics.jsonl", "metrics.csv", "evaluation.json", "summary.md", "checkpoints"] {
            XCTAssertTrue(files.contains(file), file)
        }
        XCTAssertNil(trainer.runFolder?.chartNote)
        let summary = try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
        XCTAssertFalse(summary.contains(".png"), summary)
        XCTAssertTrue(summary.contains("Test accuracy"))
    }
}
