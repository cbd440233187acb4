import XCTest
import Foundation
import FoveaTestSupport
import Fovea

/// Run folders that are usable at every moment: written as training goes, opened when a run was
/// stopped, never using a torn checkpoint, and cleaned of a killed write's temporary files.
final class RunFolderSafetyTests: XCTestCase {
    struct Killed: Error {}

    /// A trainer on `TrainerTests`' shapes task (8 steps an epoch).
    func makeTrainer(epochs: Int = 3) throws -> Trainer {
        var rng = RandomGenerator(seed: 3)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), BatchNorm2d(channels: 8), ReLU(), MaxPool2d(kernelSize: 2),
                               Flatten(), Dropout(p: 0.2, using: &rng), Linear(inputFeatures: 8 * 36, outputFeatures: 3, using: &rng))
        var config = TrainingConfiguration()
        config.epochs = epochs
        config.batchSize = 32
        config.seed = 3
        let train = try DataLoader(dataset: TrainerTests.shapes(256, seed: 1), batchSize: 32, seed: 3)
        let test = try DataLoader(dataset: TrainerTests.shapes(128, seed: 2), batchSize: 64, shuffle: false)
        return try Trainer(model: model, train: train, test: test, classes: 3, configuration: config)
    }

    /// A shapes trainer that records into a run folder at `path`.
    func makeTrainer(_ path: URL, mode: RunFolderMode, epochs: Int = 3) throws -> Trainer {
        let trainer = try makeTrainer(epochs: epochs)
        trainer.classNames = ["bar", "column", "square"]
        trainer.health = HealthMonitor(interval: 3)
        trainer.runFolder = try RunFolder.open(path: path.path, mode: mode, configuration: trainer.runConfiguration)
        return trainer
    }

    /// Trains until `epochs` epochs are done, then "kills" the run.
    func train(_ trainer: Trainer, killAfter epochs: Int) {
        XCTAssertThrowsError(try trainer.fit { if case .epoch(let e) = $0, e.epoch + 1 == epochs { throw Killed() } })
    }

    func testInterruptedRunIsAValidRunFolder() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let trainer = try makeTrainer(folder, mode: .new)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path),
                      "config.json is written when training starts")
        train(trainer, killAfter: 1)
        let saved = try RunFolder.readConfiguration(at: folder.path)
        XCTAssertEqual(saved, trainer.runConfiguration)
        XCTAssertEqual(RunFolder.state(at: folder.path), .interrupted(saved, epochsDone: 1))
        for file in ["metrics.jsonl", "metrics.csv", "health.jsonl", "summary.md", "evaluation.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), file)
        }
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8).contains("after 1 of 3 epochs"))
        let report = try HealthReport(runFolder: folder)
        XCTAssertEqual(Set(report.records.map(\.step)), [0, 3, 6])
        XCTAssertThrowsError(try RunFolder.open(path: folder.path, mode: .new, configuration: trainer.runConfiguration)) { error in
            XCTAssertEqual("\(error)", "\(folder.path): already holds an unfinished run (model on dataset, 1 of 3 epochs done); pass --resume to continue it or --overwrite to replace it, or choose another --out")
        }
    }

    func testResumeKeepsEarlierRecordsOnceAndEndsLikeAnUninterruptedRun() throws {
        let root = try temporaryFolder()
        let full = try makeTrainer(root.appendingPathComponent("full"), mode: .new)
        _ = try full.fit()

        let folder = root.appendingPathComponent("killed")
        try train(makeTrainer(folder, mode: .new), killAfter: 2)
        let resumed = try makeTrainer(folder, mode: .resume)
        XCTAssertEqual(try resumed.resumeFromNewestCheckpoint(in: resumed.runFolder!.checkpoints).checkpoint, "last")
        _ = try resumed.fit()
        XCTAssertEqual(resumed.model.stateDict().map(\.tensor), full.model.stateDict().map(\.tensor))
        XCTAssertEqual(try HealthReport.readRecords(from: folder), full.health!.records, "the health records of before the kill are kept, once")
        let metrics = try String(contentsOf: folder.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(metrics.count, 3)
        XCTAssertEqual(RunFolder.state(at: folder.path), .finished(resumed.runConfiguration))
    }

    /// A kill while `last` is written leaves its files from two steps: resume and opening skip it.
    func testTornCheckpointIsNeverUsed() throws {
        let root = try temporaryFolder()
        let full = try makeTrainer(root.appendingPathComponent("full"), mode: .new)
        _ = try full.fit()

        let folder = root.appendingPathComponent("torn")
        let first = try makeTrainer(folder, mode: .new)
        train(first, killAfter: 2)
        let checkpoints = folder.appendingPathComponent("checkpoints")
        // The weights file of the next write landed; its optimizer state and JSON did not.
        try first.model.save(to: checkpoints.appendingPathComponent("last.safetensors"), metadata: ["step": "24", "model": "lenet5"])

        XCTAssertThrowsError(try Checkpoint.read(name: "last", in: checkpoints)) { error in
            XCTAssertTrue("\(error)".contains("the checkpoint is incomplete"), "\(error)")
        }
        let resumed = try makeTrainer(folder, mode: .resume)
        let point = try resumed.resumeFromNewestCheckpoint(in: checkpoints)
        XCTAssertEqual(point.checkpoint, "best")
        XCTAssertEqual(point.skipped.count, 1)
        XCTAssertTrue(point.skipped[0].contains("last.safetensors: was written at step 24"), point.skipped[0])
        _ = try resumed.fit()
        XCTAssertEqual(resumed.model.stateDict().map(\.tensor), full.model.stateDict().map(\.tensor),
                       "resuming from the older complete checkpoint still ends bit-identical")

        // With every checkpoint torn, nothing is used and training would start over.
        for name in ["last", "best"] {
            try first.model.save(to: checkpoints.appendingPathComponent(name + ".safetensors"), metadata: ["step": "99", "model": "lenet5"])
        }
        let fresh = try makeTrainer(folder, mode: .resume)
        let initial = fresh.model.stateDict().map(\.tensor)
        XCTAssertNil(try fresh.resumeFromNewestCheckpoint(in: checkpoints).checkpoint)
        XCTAssertEqual(fresh.step, 0)
        XCTAssertEqual(fresh.model.stateDict().map(\.tensor), initial, "a skipped checkpoint changes nothing")
    }

    func testResumeWithOtherSettingsNamesEachOption() throws {
        var saved = RunConfiguration(model: "lenet5", dataset: "fashion-mnist", training: try .recommended(for: "lenet5"), trainLimit: 1000)
        var given = saved
        XCTAssertEqual(saved.differences(to: given), [])
        given.training.learningRate = 0.1
        given.training.epochs = 12
        given.trainLimit = nil
        given.command = .demo
        saved.training.epochs = 10
        XCTAssertEqual(ResumeMismatchError(folder: "runs/x", differences: saved.differences(to: given)).description,
                       "runs/x: --resume needs the same options as the saved run: --train-limit saved 1000, given none; --epochs saved 10, given 12; --lr saved 0.05, given 0.1")

        let folder = try temporaryFolder().appendingPathComponent("run")
        try train(makeTrainer(folder, mode: .new), killAfter: 1)
        let other = try makeTrainer(epochs: 4)
        other.modelName = "lenet5"
        XCTAssertThrowsError(try RunFolder.open(path: folder.path, mode: .resume, configuration: other.runConfiguration)) { error in
            XCTAssertEqual("\(error)", "\(folder.path): --resume needs the same options as the saved run: --model saved model, given lenet5; --epochs saved 3, given 4")
        }
        other.modelName = "model"
        other.runFolder = try RunFolder(path: folder.path)
        XCTAssertThrowsError(try other.resume(in: folder.appendingPathComponent("checkpoints"))) { error in
            XCTAssertEqual("\(error)", "\(folder.path): --resume needs the same options as the saved run: --epochs saved 3, given 4")
        }
    }

    func testOpeningRemovesOnlyStaleTemporaryFilesOfOurs() throws {
        let folder = try temporaryFolder()
        let checkpoints = folder.appendingPathComponent("checkpoints")
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        let dead = ".last.safetensors.999999999.12345.tmp", own = ".metrics.jsonl.\(getpid()).7.tmp"
        let live = ".summary.md.\(getppid()).8.tmp", other = ".notes.tmp", plain = "keep.1.2.tmp"
        for name in [dead, own, live, other, plain] { try Data().write(to: folder.appendingPathComponent(name)) }
        try Data().write(to: checkpoints.appendingPathComponent(dead))
        let configuration = try makeTrainer(epochs: 1).runConfiguration
        try RunFolder(path: folder.path).writeConfiguration(configuration)
        _ = try RunFolder.open(path: folder.path, mode: .resume, configuration: configuration)
        let left = try Set(FileManager.default.contentsOfDirectory(atPath: folder.path))
        XCTAssertEqual(left, [live, other, plain, "config.json", "checkpoints"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path), [])
    }

    func testOverwriteDeletesOnlyTheRunsFiles() throws {
        let folder = try temporaryFolder().appendingPathComponent("run")
        let trainer = try makeTrainer(folder, mode: .new)
        train(trainer, killAfter: 1)
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        _ = try RunFolder.open(path: folder.path, mode: .overwrite, configuration: trainer.runConfiguration)
        XCTAssertEqual(try Set(FileManager.default.contentsOfDirectory(atPath: folder.path)), ["notes.txt", "config.json"])

        let foreign = try temporaryFolder()
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        for path in [foreign.path, foreign.appendingPathComponent("notes.txt").path] {
            for mode in [RunFolderMode.new, .resume, .overwrite] {
                XCTAssertThrowsError(try RunFolder.open(path: path, mode: mode, configuration: trainer.runConfiguration)) { error in
                    XCTAssertEqual("\(error)", "\(path): holds files that are not a Fovea run; training writes only into an empty folder or a run folder, so choose another --out")
                }
            }
        }
        XCTAssertEqual(try String(contentsOf: foreign.appendingPathComponent("notes.txt"), encoding: .utf8), "mine")
    }

    /// `TrainedRun` (eval, predict, explain, filters, features) opens a stopped run, and skips a torn checkpoint.
    func testTrainedRunOpensAnInterruptedRun() throws {
        let dataDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/fashion-mnist").path
        let test = try ImageDataset.fashionMNIST(directory: dataDir, split: .test)
        var config = try TrainingConfiguration.recommended(for: "lenet5")
        config.epochs = 2
        var rng = RandomGenerator(seed: config.seed)
        let model = try ModelRegistry.make("lenet5", classes: 10, inputChannels: 1, using: &rng)
        let trainer = try Trainer(model: model,
                                  train: DataLoader(dataset: test.subset(Array(0..<256)), batchSize: 64, normalization: .fashionMNIST),
                                  test: DataLoader(dataset: test.subset(Array(256..<384)), batchSize: 128, shuffle: false, normalization: .fashionMNIST),
                                  classes: 10, configuration: config)
        trainer.modelName = "lenet5"
        trainer.datasetName = "fashion-mnist"
        trainer.classNames = test.classNames
        let folder = try temporaryFolder().appendingPathComponent("run")
        trainer.runFolder = try RunFolder.open(path: folder.path, mode: .new, configuration: trainer.runConfiguration)
        train(trainer, killAfter: 1)

        let run = try TrainedRun(path: folder.path, classes: 10, inputChannels: 1)
        XCTAssertEqual(run.checkpointName, "best")
        XCTAssertFalse(run.isFinished)
        XCTAssertEqual(run.checkpointDescription, "best checkpoint (epoch 1); the run stopped after epoch 1 of 2")
        XCTAssertEqual(run.model.stateDict().map(\.tensor), model.stateDict().map(\.tensor))

        let checkpoints = folder.appendingPathComponent("checkpoints")
        try model.save(to: checkpoints.appendingPathComponent("best.safetensors"), metadata: ["step": "5", "model": "lenet5"])
        let fallback = try TrainedRun(path: folder.path, classes: 10, inputChannels: 1)
        XCTAssertEqual(fallback.checkpointName, "last", "the torn best checkpoint is skipped")
        XCTAssertEqual(fallback.skipped.count, 1)
        XCTAssertThrowsError(try TrainedRun(path: folder.path, classes: 10, inputChannels: 1, checkpoint: "best")) { error in
            XCTAssertTrue("\(error)".contains("best.safetensors: was written at step 5, but best.json is at step 4; the checkpoint is incomplete"), "\(error)")
        }
    }
}
