import ArgumentParser
import Fovea
import FoveaReports
import Foundation

/// `fovea train`: train a model on a dataset.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train a CNN and write a run folder.")

    @Option(help: "Model name (see `fovea models`).")
    var model = "lenet5"

    @Option(help: "Dataset (IDX files in --data).")
    var dataset = DatasetInfo.fashionMNIST

    @OptionGroup var data: DataOption

    // Unset options take the model's recommended settings (printed at the start of training).
    // Numbers parse unconditionally, so that a negative value reaches validation and its message.
    @Option(parsing: .unconditional, help: "Training epochs (default: the model's recommendation, 10).") var epochs: Int?
    @Option(parsing: .unconditional, help: "Images per batch (default: 64 for lenet5, else 128).") var batchSize: Int?
    @Option(help: "Optimizer (default: adamw for ConvNeXt, else sgd).") var optimizer: OptimizerKind?
    @Option(parsing: .unconditional, help: "Peak learning rate (default: the model's recommendation).") var lr: Float?
    @Option(help: "Schedule.") var schedule = ScheduleKind.cosine
    @Option(parsing: .unconditional, help: "Weight decay (default: 5e-4 for SGD, 0.05 for AdamW).") var weightDecay: Float?
    @Option(parsing: .unconditional, help: "Label smoothing ε.") var labelSmoothing: Float = 0
    @Option(help: "Augmentation (default: none for lenet5, else crop-flip).")
    var augment: AugmentationPreset?
    @Option(parsing: .unconditional, help: "Random seed (same seed, same weights).") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Train on only the first N training images (quick trials; saved with the run).") var trainLimit: Int?
    @Option(help: "Where to write the run. A folder that already holds files is refused unless --resume or --overwrite is given.")
    var out = "runs/train"
    @Option(parsing: .unconditional, help: "Record per-layer training health every N steps (0: never).") var healthEvery = 50
    @Flag(help: "Continue the run in --out from its newest complete checkpoint, bit-identical to an uninterrupted run. Every option, --epochs included, must equal the saved run's; with no checkpoint yet it starts at epoch 1.")
    var resume = false
    @Flag(help: "Replace the run in --out: its checkpoints, metrics and charts are deleted first (other files are kept).")
    var overwrite = false

    func run() throws {
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other; give one") }
        if let trainLimit, trainLimit <= 0 { throw ValidationError("--train-limit must be positive, got \(trainLimit)") }
        if healthEvery < 0 { throw ValidationError("--health-every must be ≥ 0, got \(healthEvery)") }
        guard ModelRegistry.names.contains(model) else {
            throw ValidationError("unknown model '\(model)'; `fovea models` lists them")
        }
        var c = try TrainingConfiguration.recommended(for: model)
        let opt = optimizer ?? c.optimizer
        c.augmentation = augment ?? c.augmentation
        if opt != c.optimizer {
            // Switching optimizer without a rate: use that optimizer's usual scale.
            c.learningRate = opt == .sgd ? 0.05 : 2e-3
            c.weightDecay = opt == .sgd ? 5e-4 : 0.05
        }
        c.optimizer = opt; c.schedule = schedule
        if let epochs { c.epochs = epochs }
        if let batchSize { c.batchSize = batchSize }
        if let lr { c.learningRate = lr }
        if let weightDecay { c.weightDecay = weightDecay }
        c.labelSmoothing = labelSmoothing; c.seed = seed
        try c.validate()
        try trainAndReport(model: model, dataset: dataset, data: data, configuration: c, out: out,
                           healthEvery: healthEvery, mode: resume ? .resume : overwrite ? .overwrite : .new, trainLimit: trainLimit)
    }
}

/// Loads the data, opens the run folder (see `RunFolderMode`), builds the model, trains with a
/// progress display and prints where the results are.
func trainAndReport(model name: String, dataset info: DatasetInfo, data: DataOption, configuration: TrainingConfiguration, out: String,
                    healthEvery: Int = 50, mode: RunFolderMode = .new, trainLimit: Int? = nil, command: RunCommand = .train) throws {
    let folder = try data.location().directory(for: info.name)
    let runConfiguration = RunConfiguration(model: name, dataset: info.name, training: configuration, trainLimit: trainLimit,
                                            command: command, dataDirectory: folder.standardizedFileURL.path)
    // Before the data loads: a refused folder is reported at once.
    try RunFolder.validate(path: out, mode: mode, configuration: runConfiguration)
    let fullTrain = try info.load(.train, from: folder), test = try info.load(.test, from: folder)
    let normalization = info.normalization
    let dataset = info.name
    let train = trainLimit.map { fullTrain.subset(Array(0..<min($0, fullTrain.count))) } ?? fullTrain
    var rng = RandomGenerator(seed: configuration.seed)
    let model = try ModelRegistry.make(name, classes: train.classNames.count, inputChannels: train.channels, using: &rng)
    let trainLoader = try DataLoader(dataset: train, batchSize: configuration.batchSize, shuffle: true, normalization: normalization,
                                     augmentation: configuration.augmentation.augmentation(imageSize: train.width), seed: configuration.seed)
    let testLoader = try DataLoader(dataset: test, batchSize: 500, shuffle: false, normalization: normalization)
    let trainer = try Trainer(model: model, train: trainLoader, test: testLoader, classes: train.classNames.count, configuration: configuration)
    var run = try RunFolder.open(path: out, mode: mode, configuration: runConfiguration)
    run.reportWriter = RunCharts()
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
