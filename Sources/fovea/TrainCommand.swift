import ArgumentParser
import Fovea
import Foundation

/// `fovea train`: train a model on a dataset.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train a CNN and write a run folder.")

    @Option(help: "Model name (see `fovea models`).")
    var model = "lenet5"

    @Option(help: "Dataset: fashion-mnist or mnist (IDX files in --data).")
    var dataset = "fashion-mnist"

    @Option(help: "Folder holding the dataset's files.")
    var data = "data/fashion-mnist"

    // Unset options take the model's recommended settings (printed at the start of training).
    @Option(help: "Training epochs (default: the model's recommendation, 10).") var epochs: Int?
    @Option(help: "Images per batch (default: 64 for lenet5, else 128).") var batchSize: Int?
    @Option(help: "Optimizer: sgd or adamw (default: adamw for ConvNeXt, else sgd).") var optimizer: String?
    @Option(help: "Peak learning rate (default: the model's recommendation).") var lr: Float?
    @Option(help: "Schedule: cosine, onecycle, step or constant.") var schedule = "cosine"
    @Option(help: "Weight decay (default: 5e-4 for SGD, 0.05 for AdamW).") var weightDecay: Float?
    @Option(help: "Label smoothing ε.") var labelSmoothing: Float = 0
    @Option(help: "Augmentation: none, flip, crop-flip or crop-flip-erase (default: none for lenet5, else crop-flip).")
    var augment: String?
    @Option(help: "Random seed (same seed, same weights).") var seed: UInt64 = 0
    @Option(help: "Train on only the first N training images (quick trials; saved with the run).") var trainLimit: Int?
    @Option(help: "Where to write the run. A folder that already holds files is refused unless --resume or --overwrite is given.")
    var out = "runs/train"
    @Option(help: "Record per-layer training health every N steps (0: never).") var healthEvery = 50
    @Flag(help: "Continue the run in --out from its newest complete checkpoint, bit-identical to an uninterrupted run. Every option, --epochs included, must equal the saved run's; with no checkpoint yet it starts at epoch 1.")
    var resume = false
    @Flag(help: "Replace the run in --out: its checkpoints, metrics and charts are deleted first (other files are kept).")
    var overwrite = false

    func run() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other; give one") }
        if let trainLimit, trainLimit <= 0 { throw ValidationError("--train-limit must be positive, got \(trainLimit)") }
        var c = try TrainingConfiguration.recommended(for: model)
        guard let opt = OptimizerKind(rawValue: optimizer ?? c.optimizer.rawValue) else {
            throw ValidationError("unknown optimizer '\(optimizer ?? "")'; choose sgd or adamw")
        }
        guard let sched = ScheduleKind(rawValue: schedule) else {
            throw ValidationError("unknown schedule '\(schedule)'; choose \(ScheduleKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let aug = AugmentationPreset(rawValue: augment ?? c.augmentation.rawValue) else {
            throw ValidationError("unknown augmentation '\(augment ?? "")'; choose \(AugmentationPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        c.augmentation = aug
        if opt != c.optimizer {
            // Switching optimizer without a rate: use that optimizer's usual scale.
            c.learningRate = opt == .sgd ? 0.05 : 2e-3
            c.weightDecay = opt == .sgd ? 5e-4 : 0.05
        }
        c.optimizer = opt; c.schedule = sched
        if let epochs { c.epochs = epochs }
        if let batchSize { c.batchSize = batchSize }
        if let lr { c.learningRate = lr }
        if let weightDecay { c.weightDecay = weightDecay }
        c.labelSmoothing = labelSmoothing; c.seed = seed
        try trainAndReport(model: model, dataset: dataset, dataDirectory: data, configuration: c, out: out,
                           healthEvery: healthEvery, mode: resume ? .resume : overwrite ? .overwrite : .new, trainLimit: trainLimit)
    }
}

/// Loads the data, opens the run folder (see `RunFolderMode`), builds the model, trains with a
/// progress display and prints where the results are.
func trainAndReport(model name: String, dataset: String, dataDirectory: String, configuration: TrainingConfiguration, out: String,
                    healthEvery: Int = 50, mode: RunFolderMode = .new, trainLimit: Int? = nil, command: RunCommand = .train) throws {
    guard ModelRegistry.names.contains(name) else {
        throw ValidationError("unknown model '\(name)'; `fovea models` lists them")
    }
    let runConfiguration = RunConfiguration(model: name, dataset: dataset, training: configuration, trainLimit: trainLimit, command: command)
    // Before the data loads: a refused folder is reported at once.
    try RunFolder.validate(path: out, mode: mode, configuration: runConfiguration)
    let (fullTrain, test, normalization) = try loadDataset(dataset, directory: dataDirectory)
    let train = trainLimit.map { fullTrain.subset(Array(0..<min($0, fullTrain.count))) } ?? fullTrain
    var rng = RandomGenerator(seed: configuration.seed)
    let model = try ModelRegistry.make(name, classes: train.classNames.count, inputChannels: train.channels, rng: &rng)
    let trainLoader = try DataLoader(dataset: train, batchSize: configuration.batchSize, shuffle: true, normalization: normalization,
                                     augmentation: configuration.augmentation.augmentation(imageSize: train.width), seed: configuration.seed)
    let testLoader = try DataLoader(dataset: test, batchSize: 500, shuffle: false, normalization: normalization)
    let trainer = try Trainer(model: model, train: trainLoader, test: testLoader, classes: train.classNames.count, configuration: configuration)
    let run = try RunFolder.open(path: out, mode: mode, configuration: runConfiguration)
    print("training \(name) (\(model.parameterCount) parameters) on \(dataset): \(train.count) train / \(test.count) test images, \(configuration.epochs) epochs, batch \(configuration.batchSize), \(configuration.optimizer.rawValue) lr \(configuration.learningRate) \(configuration.schedule.rawValue), weight decay \(configuration.weightDecay), augmentation \(configuration.augmentation.rawValue)")
    trainer.modelName = name
    trainer.datasetName = dataset
    trainer.trainLimit = trainLimit
    trainer.classNames = train.classNames
    trainer.runFolder = run
    if healthEvery > 0 { trainer.health = HealthMonitor(interval: healthEvery) }
    if mode == .resume {
        let point = try trainer.resumeFromNewestCheckpoint(in: run.checkpoints)
        for reason in point.skipped { print("not resuming from \(reason)") }
        if let used = point.checkpoint {
            print("resuming after epoch \(trainer.history.count) (step \(trainer.step)) from \(run.checkpoints.path)/\(used)")
        } else {
            print("no complete checkpoint in \(out) yet: starting at epoch 1")
        }
    }
    var progress = ProgressPrinter(epochs: configuration.epochs, batchSize: configuration.batchSize)
    _ = try trainer.fit { progress.handle($0) }
    // Each epoch has recorded itself. A resumed finished run trained nothing: record it again, in
    // case it was killed before its last charts were drawn.
    var finished = trainer.runFolder ?? run
    let evaluation: Evaluation
    if let last = trainer.lastEvaluation {
        evaluation = last
    } else {
        evaluation = try evaluate(model, on: testLoader, classes: train.classNames.count)
        try finished.record(trainer.runConfiguration, history: trainer.history, evaluation: evaluation,
                            classNames: train.classNames, health: trainer.health?.records ?? [])
    }
    if let note = finished.chartNote { print(note) }
    print("final test accuracy \(fmt(100 * evaluation.accuracy, 2))%")
    print("run written to \(out)/: summary.md, loss/accuracy/confusion charts (.png, .svg), config.json, metrics.{jsonl,csv}, health.jsonl, checkpoints/{last,best}.safetensors")
}

/// The train and test splits of a bundled-format dataset and its normalisation.
func loadDataset(_ name: String, directory: String) throws -> (ImageDataset, ImageDataset, Normalization) {
    switch name {
    case "fashion-mnist":
        return (try .fashionMNIST(directory: directory, split: .train), try .fashionMNIST(directory: directory, split: .test), .fashionMNIST)
    case "mnist":
        return (try .mnist(directory: directory, split: .train), try .mnist(directory: directory, split: .test), .mnist)
    default:
        throw ValidationError("unknown dataset '\(name)'; choose fashion-mnist or mnist")
    }
}
