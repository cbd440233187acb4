import XCTest
import Foundation
import FoveaTestSupport
import Fovea

/// The training loop on a small synthetic image dataset: checkpoints, resume, health records, NaN stops.
final class TrainerTests: XCTestCase {
    /// 12x12 grey images of a bright horizontal bar, vertical bar or square on noise; class = shape.
    static func shapes(_ n: Int, seed: UInt64) throws -> ImageDataset {
        var rng = RandomGenerator(seed: seed)
        var pixels = [UInt8](repeating: 0, count: n * 144)
        var labels: [Int] = []
        for i in 0..<n {
            for k in 0..<144 { pixels[i * 144 + k] = UInt8(rng.next() % 60) }
            let label = Int(rng.next() % 3), r = 2 + Int(rng.next() % 6), c = 2 + Int(rng.next() % 6)
            labels.append(label)
            let cells: [(Int, Int)] = label == 0 ? (0..<5).map { (r, c + $0) } : label == 1 ? (0..<5).map { (r + $0, c) }
                : [(r, c), (r + 1, c), (r, c + 1), (r + 1, c + 1)]
            for (y, x) in cells where y < 12 && x < 12 { pixels[i * 144 + y * 12 + x] = 230 }
        }
        return try ImageDataset(pixels: pixels, channels: 1, height: 12, width: 12, labels: labels, classNames: ["bar", "column", "square"])
    }

    func makeTrainer(epochs: Int, learningRate: Float = 0.05, seed: UInt64 = 3) throws -> Trainer {
        var rng = RandomGenerator(seed: seed)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), BatchNorm2d(channels: 8), ReLU(), MaxPool2d(kernelSize: 2),
                               Flatten(), Dropout(p: 0.2, using: &rng), Linear(inputFeatures: 8 * 36, outputFeatures: 3, using: &rng))
        var config = TrainingConfiguration()
        config.epochs = epochs
        config.batchSize = 32
        config.learningRate = learningRate
        config.seed = seed
        let train = try DataLoader(dataset: Self.shapes(256, seed: 1), batchSize: 32, seed: seed)
        let test = try DataLoader(dataset: Self.shapes(128, seed: 2), batchSize: 64, shuffle: false)
        return try Trainer(model: model, train: train, test: test, classes: 3, configuration: config)
    }

    func testLearnsAndResumeEndsWithTheSameWeights() throws {
        let folder = try temporaryFolder()
        let full = try makeTrainer(epochs: 3)
        let history = try full.fit()
        XCTAssertGreaterThan(history.last!.testAccuracy, 0.9, "the shapes task is learnable")

        // "Kill" the run after its first epoch's checkpoint, then resume in a fresh trainer.
        struct Killed: Error {}
        let first = try makeTrainer(epochs: 3)
        first.checkpointFolder = folder
        XCTAssertThrowsError(try first.fit { if case .epoch = $0 { throw Killed() } })
        let resumed = try makeTrainer(epochs: 3)
        resumed.checkpointFolder = folder
        try resumed.resume(in: folder)
        XCTAssertEqual(resumed.history.count, 1)
        XCTAssertEqual(resumed.step, 8)
        _ = try resumed.fit()
        XCTAssertEqual(resumed.model.stateDict().map(\.tensor), full.model.stateDict().map(\.tensor),
                       "resumed run ends bit-identical to the uninterrupted run")
    }

    func testSameSeedSameWeights() throws {
        let a = try makeTrainer(epochs: 1), b = try makeTrainer(epochs: 1)
        _ = try a.fit(); _ = try b.fit()
        XCTAssertEqual(a.model.stateDict().map(\.tensor), b.model.stateDict().map(\.tensor))
    }

    func testDivergenceStopsWithStepLayerAndCheckpoint() throws {
        let t = try makeTrainer(epochs: 2, learningRate: 1e12)
        t.checkpointFolder = try temporaryFolder()
        XCTAssertThrowsError(try t.fit()) { error in
            guard let e = error as? NonFiniteError else { return XCTFail("unexpected \(error)") }
            XCTAssertGreaterThan(e.step, 0)
            XCTAssertTrue("\(e)".contains("training diverged at step \(e.step)"), "\(e)")
        }
    }

    func testHealthRecordsEveryLayerAndFlagsDeadReLUs() throws {
        let t = try makeTrainer(epochs: 1)
        t.health = HealthMonitor(interval: 4)
        _ = try t.fit()
        let records = t.health!.records
        XCTAssertEqual(Set(records.map(\.step)), [0, 4])
        XCTAssertEqual(Set(records.map(\.layer)), ["0", "1", "6"])
        let conv = records.first { $0.layer == "0" }!
        XCTAssertGreaterThan(conv.gradientNorm, 0)
        XCTAssertGreaterThan(conv.updateRatio, 0)
        XCTAssertNil(conv.deadFraction, "the ReLU follows the BN, not the conv")
        XCTAssertNotNil(records.first { $0.layer == "1" }!.deadFraction)
    }

    func testCheckpointErrors() throws {
        let folder = try temporaryFolder()
        let t = try makeTrainer(epochs: 1)
        try t.saveCheckpoint("last", in: folder)
        // Another architecture.
        var rng = RandomGenerator(seed: 1)
        let other = try Sequential(Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, using: &rng))
        XCTAssertThrowsError(try other.load(from: folder.appendingPathComponent("last.safetensors"))) { error in
            XCTAssertTrue("\(error)".contains("missing: 0.bias") == false && "\(error)".contains("last.safetensors"), "\(error)")
            XCTAssertTrue("\(error)".contains("unexpected: 1.bias"), "\(error)")
        }
        // A truncated file.
        let url = folder.appendingPathComponent("last.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        let before = t.model.stateDict().map(\.tensor)
        XCTAssertThrowsError(try t.model.load(from: url)) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        XCTAssertEqual(t.model.stateDict().map(\.tensor), before, "a failed load changes nothing")
        XCTAssertThrowsError(try makeTrainer(epochs: 1).resume(in: folder)) { error in
            XCTAssertTrue("\(error)".contains("last.safetensors"), "\(error)")
        }
    }
}

final class HealthReportTests: XCTestCase {
    /// A deep stack of sigmoid convolutions: the classic vanishing-gradient net.
    func testDeepSigmoidNetIsFlaggedAsVanishingAndShallowReLUNetIsNot() throws {
        func run(_ layers: (inout RandomGenerator) throws -> [Module]) throws -> HealthReport {
            var rng = RandomGenerator(seed: 4)
            let model = try Sequential(layers(&rng))
            var config = TrainingConfiguration()
            config.epochs = 1; config.batchSize = 32; config.seed = 4
            let data = try DataLoader(dataset: TrainerTests.shapes(128, seed: 1), batchSize: 32, seed: 4)
            let trainer = try Trainer(model: model, train: data, test: data, classes: 3, configuration: config)
            trainer.health = HealthMonitor(interval: 1)
            _ = try trainer.fit()
            return HealthReport(records: trainer.health!.records)
        }
        let deep = try run { rng in
            try (0..<12).flatMap { i in try [Conv2d(inputChannels: i == 0 ? 1 : 4, outputChannels: 4, kernelSize: 3, padding: 1, using: &rng), Sigmoid()] as [Module] }
                + [Flatten(), try Linear(inputFeatures: 4 * 144, outputFeatures: 3, using: &rng)]
        }
        XCTAssertTrue(deep.findings.contains { $0.kind == .vanishing && $0.layer == "0" }, deep.text)
        let shallow = try run { rng in
            [try Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, using: &rng), ReLU(), Flatten(), try Linear(inputFeatures: 4 * 144, outputFeatures: 3, using: &rng)]
        }
        XCTAssertFalse(shallow.findings.contains { $0.kind == .vanishing }, shallow.text)
    }

    func testExplodingAndDeadFlags() {
        let records = (0..<4).flatMap { s in
            [LayerHealth(step: s, layer: "a", depth: 0, gradientNorm: pow(100, Double(s)), weightNorm: 1, updateRatio: 0.2,
                         activationMean: 0, activationStd: 1, deadFraction: 0.75),
             LayerHealth(step: s, layer: "b", depth: 1, gradientNorm: 1, weightNorm: 1, updateRatio: 1e-3,
                         activationMean: 0, activationStd: 1, deadFraction: nil)]
        }
        let kinds = Set(HealthReport(records: records).findings.filter { $0.layer == "a" }.map(\.kind))
        XCTAssertEqual(kinds, [.exploding, .largeUpdates, .deadReLU])
    }
}
