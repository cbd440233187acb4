import Foundation
import XCTest
import Fovea

/// The listings of `Fovea.docc/Training.md`, run on a tiny stand-in for Fashion-MNIST.
final class TrainingListings: XCTestCase {
    func testTrainer() throws {
        try enterListingFolder()

        var rng = RandomGenerator(seed: 0)
        let model = try LeNet5(classes: 10, using: &rng)
        var configuration = try TrainingConfiguration.recommended(for: "lenet5")
        configuration.epochs = 2
        let train = try DataLoader(dataset: .fashionMNIST(directory: "data/fashion-mnist", split: .train),
                                   batchSize: configuration.batchSize, normalization: .fashionMNIST, seed: configuration.seed)
        let test = try DataLoader(dataset: .fashionMNIST(directory: "data/fashion-mnist", split: .test),
                                  batchSize: 256, shuffle: false, normalization: .fashionMNIST)
        let trainer = try Trainer(model: model, train: train, test: test, classes: 10, configuration: configuration)
        trainer.classNames = ImageDataset.fashionMNISTClassNames
        trainer.runFolder = try RunFolder.open(path: "runs/lenet5", mode: .new, configuration: trainer.runConfiguration)
        let history = try trainer.fit { event in
            if case .epoch(let metrics) = event { print("epoch \(metrics.epoch): test accuracy \(metrics.testAccuracy)") }
        }
        print(history.count, trainer.lastEvaluation!.confusion.count)   // 2 10

        XCTAssertEqual(history.count, 2)
        XCTAssertEqual(trainer.lastEvaluation?.confusion.count, 10)
        for file in ["config.json", "metrics.jsonl", "summary.md", "checkpoints/last.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "runs/lenet5/\(file)"), file)
        }
    }

    func testHandWrittenLoop() throws {
        try enterListingFolder()
        var rng = RandomGenerator(seed: 0)
        let model = try LeNet5(classes: 10, using: &rng)
        let train = try DataLoader(dataset: .fashionMNIST(directory: "data/fashion-mnist", split: .train),
                                   batchSize: 32, normalization: .fashionMNIST)
        let epochs = 3
        let optimizer = try Adam.adamW(model.namedParameters(), learningRate: 1e-3, weightDecay: 0.05)
        let schedule = WarmupCosineSchedule(baseLearningRate: 1e-3, warmupSteps: train.batchCount,
                                            totalSteps: epochs * train.batchCount)
        var step = 0
        for epoch in 0..<epochs {
            model.train()
            for batch in train.batches(epoch: epoch) {
                optimizer.learningRate = schedule.learningRate(at: step)
                let loss = try crossEntropy(model(Variable(batch.images)), targets: batch.labels, labelSmoothing: 0.1)
                model.zeroGrad()
                loss.backward()
                optimizer.step()
                step += 1
            }
        }
        let test = try DataLoader(dataset: .fashionMNIST(directory: "data/fashion-mnist", split: .test),
                                  batchSize: 256, shuffle: false, normalization: .fashionMNIST)
        let evaluation = try evaluate(model, on: test, classes: 10)
        print(evaluation.accuracy, evaluation.perClassAccuracy)

        XCTAssertEqual(step, 6)
        XCTAssertEqual(evaluation.confusion.joined().reduce(0, +), 64)
        XCTAssertFalse(optimizer.state.isEmpty)
    }
}
