import XCTest
import Foundation
import FoveaTestSupport
import FoveaImage
import FoveaReports
import Fovea

/// A whole run on a slice of the bundled Fashion-MNIST: the run folder's files, reopening it,
/// and predicting on PNG files of other sizes and colours.
final class RunFolderTests: XCTestCase {
    func testRunFolderReopensAndPredicts() throws {
        let dataDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/fashion-mnist").path
        let test = try ImageDataset.fashionMNIST(directory: dataDir, split: .test)
        let train = test.subset(Array(0..<2000)), held = test.subset(Array(2000..<2500))
        var config = try TrainingConfiguration.recommended(for: "lenet5")
        config.epochs = 2
        var rng = RandomGenerator(seed: config.seed)
        let model = try ModelRegistry.make("lenet5", classes: 10, inputChannels: 1, using: &rng)
        let trainer = try Trainer(model: model,
                                  train: DataLoader(dataset: train, batchSize: 64, normalization: .fashionMNIST),
                                  test: DataLoader(dataset: held, batchSize: 250, shuffle: false, normalization: .fashionMNIST),
                                  classes: 10, configuration: config)
        let folder = try temporaryFolder()
        var run = try RunFolder(path: folder.path)
        run.reportWriter = RunCharts()
        trainer.modelName = "lenet5"
        trainer.datasetName = "fashion-mnist"
        trainer.checkpointFolder = run.checkpoints
        let history = try trainer.fit()
        let evaluation = try evaluate(model, on: trainer.testLoader, classes: 10)
        try run.write(configuration: config, model: "lenet5", dataset: "fashion-mnist", history: history,
                      evaluation: evaluation, classNames: test.classNames, health: [])
        for file in ["config.json", "metrics.jsonl", "metrics.csv", "summary.md", "loss.svg", "confusion.svg",
                     "checkpoints/best.safetensors", "checkpoints/last.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), file)
        }
        XCTAssertGreaterThan(evaluation.accuracy, 0.6, "2000 images, 2 epochs")

        // Reopen and predict: the dataset's own image (grey 28x28) and an RGB 90x60 version of it.
        let reopened = try TrainedRun(path: folder.path, classes: 10, inputChannels: 1)
        let original = Image(width: 28, height: 28, channels: 1, pixels: Array(held.imageBytes(at: 0)))
        let big = original.converted(toChannels: 3).resized(width: 60, height: 60)
        let predictions = try reopened.predict([original, big], dataset: DatasetInfo.named("fashion-mnist"))
        XCTAssertEqual(predictions[0].notes, [])
        XCTAssertEqual(predictions[1].notes, ["converted RGB to grey", "resized 60x60 to 28x28"])
        XCTAssertEqual(predictions[0].top.count, 3)
        let p = predictions[0].top.map(\.probability)
        XCTAssertEqual(p, p.sorted(by: >), "most likely first")
        XCTAssertLessThanOrEqual(p.reduce(0, +), 1.0001)
        // Same model, same preprocessing: the direct forward pass agrees.
        let logits = try GradMode.withoutGradients {
            try reopened.model(Variable(original.tensor(mean: Normalization.fashionMNIST.mean, std: Normalization.fashionMNIST.std)
                .reshaped([1, 1, 28, 28])))
        }
        XCTAssertEqual(test.classNames[logits.value.argmaxRows()[0]], predictions[0].top[0].name)
    }
}
