import ArgumentParser
import Fovea
import FoveaKernels
import FoveaReports

/// `fovea compare`: the small model of each family, trained with one budget, side by side.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the small model of each family with the same budget; write a report and charts.")

    @Option(help: "Dataset (IDX files in --data).") var dataset = DatasetInfo.fashionMNIST
    @OptionGroup var data: DataOption
    @Option(help: "Models, comma-separated (default: one small model per family; `name@32` pads inputs to 32x32, `name*0.5` sets the width).")
    var models = ModelComparison.smallModels.map(spelling).joined(separator: ",")
    @Option(parsing: .unconditional, help: "Training epochs per model.") var epochs = 1
    @Option(parsing: .unconditional, help: "Training images (the first N of a seeded shuffle; 0: all).") var trainImages = 4000
    @Option(parsing: .unconditional, help: "Test images (the first N; 0: all).") var testImages = 1000
    @Option(parsing: .unconditional, help: "Images per batch.") var batchSize = 64
    @Option(help: "Optimizer.") var optimizer = OptimizerKind.sgd
    @Option(parsing: .unconditional, help: "Peak learning rate (default: 0.05 for SGD, 0.002 for AdamW).") var lr: Float?
    @Option(help: "Random seed (weights, subset and shuffling).") var seed: UInt64 = 0
    @Option(help: "Where to write report.md and the charts.") var out = "runs/compare"

    func run() throws {
        guard epochs >= 1, batchSize >= 1, trainImages >= 0, testImages >= 0 else {
            throw ValidationError("--epochs and --batch-size must be at least 1, --train-images and --test-images at least 0")
        }
        let opt = optimizer
        let candidates = try models.split(separator: ",").map { try parseCandidate(String($0)) }
        let info = dataset
        var (train, folder) = try data.load(info, .train)
        var test = try info.load(.test, from: folder)
        let normalization = info.normalization
        if trainImages > 0 && trainImages < train.count {
            var rng = RandomGenerator(seed: seed)
            var order = Array(0..<train.count)
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            train = train.subset(Array(order.prefix(trainImages)))
        }
        if testImages > 0 && testImages < test.count { test = test.subset(Array(0..<testImages)) }
        var c = TrainingConfiguration()
        c.epochs = epochs; c.batchSize = batchSize; c.optimizer = opt; c.seed = seed
        c.learningRate = lr ?? (opt == .sgd ? 0.05 : 0.002)
        let budget = "Budget: \(dataset.name), \(train.count) training images × \(epochs) epoch(s), batch \(batchSize), "
            + "\(opt.rawValue) lr \(c.learningRate) \(c.schedule.rawValue), weight decay \(c.weightDecay), seed \(seed); "
            + "\(test.count) test images; \(Parallel.threadCount) threads."
        print(budget)
        var last = ""
        let results = try ModelComparison.run(candidates, train: train, test: test, normalization: normalization, configuration: c) { candidate, event in
            if case .epoch(let m) = event {
                print("\(candidate.label): epoch \(m.epoch + 1) test accuracy \(fmt(100 * m.testAccuracy, 2))%, \(Int(m.imagesPerSecond)) images/s")
            } else if candidate.label != last {
                last = candidate.label
                print("training \(candidate.label)…")
            }
        }
        print(ModelComparison.table(results))
        if let note = try ModelComparison.writeReport(results, budget: budget, to: out) { print(note) }
        print("report written to \(out)/: report.md, accuracy-vs-macs.{svg,png}, accuracy-vs-training-time.{svg,png}")
    }
}

/// `mobilenet_v2*0.5@32` → model, width multiplier 0.5, inputs padded to 32x32.
private func parseCandidate(_ text: String) throws -> ModelComparison.Candidate {
    var rest = Substring(text), padded: Int?, width = 1.0
    if let at = rest.firstIndex(of: "@") {
        guard let size = Int(rest[rest.index(after: at)...]) else { throw ValidationError("bad padded size in '\(text)'") }
        padded = size; rest = rest[..<at]
    }
    if let star = rest.firstIndex(of: "*") {
        guard let w = Double(rest[rest.index(after: star)...]) else { throw ValidationError("bad width multiplier in '\(text)'") }
        width = w; rest = rest[..<star]
    }
    guard ModelRegistry.names.contains(String(rest)) else { throw ValidationError("unknown model '\(rest)'; `fovea models` lists them") }
    return ModelComparison.Candidate(String(rest), widthMultiplier: width, paddedSize: padded)
}

private func spelling(_ c: ModelComparison.Candidate) -> String {
    c.model + (c.widthMultiplier == 1 ? "" : "*\(c.widthMultiplier)") + (c.paddedSize.map { "@\($0)" } ?? "")
}
