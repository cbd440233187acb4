import Foundation
import FoveaImage
import FoveaReports
import FoveaLayers
import FoveaModels
import FoveaTensor
import FoveaTrain

/// A model to explain and the input it expects: a run folder written by `fovea train`, or a zoo
/// model with torchvision weights in safetensors (ImageNet preprocessing).
public struct ExplainedModel {
    public let model: Module
    public let spec: InputSpec
    /// What was opened, for headings (`runs/lenet5 (lenet5, best checkpoint)`).
    public let description: String
    /// The run's configuration, when a run folder was opened (its dataset and data folder).
    public let run: RunConfiguration?
    /// The dataset a run was trained on (nil for a zoo model).
    public var dataset: DatasetInfo? { run.flatMap { try? DatasetInfo.named($0.dataset) } }
    /// What loading the weights found (NaN or infinite values), for the caller to show.
    public let weightReport: WeightLoadReport?

    /// Opens a run folder, finished or interrupted (see `TrainedRun`); weights holding NaN or
    /// infinite values are reported (`.warn`) or refused (`.fail`).
    public static func run(_ path: String, nonFinite policy: NonFinitePolicy = .warn) throws -> ExplainedModel {
        let config = try RunFolder.readConfiguration(at: path)
        let dataset = try DatasetInfo.named(config.dataset)
        let trained = try TrainedRun(path: path, classes: dataset.classNames.count, inputChannels: dataset.channels, nonFinite: policy)
        return ExplainedModel(model: trained.model, spec: .dataset(dataset),
                              description: "\(config.model) on \(dataset.name), \(trained.checkpointDescription)",
                              run: config, weightReport: trained.weightReport)
    }

    /// Builds zoo model `name` and loads `weights` (a torchvision `state_dict` saved with
    /// safetensors). Inputs get ImageNet preprocessing.
    public static func zoo(_ name: String, weights: String, classes: Int = 1000, nonFinite policy: NonFinitePolicy = .warn) throws -> ExplainedModel {
        var rng = RandomGenerator(seed: 0)
        let model = try ModelRegistry.make(name, classes: classes, inputChannels: 3, using: &rng)
        let url = URL(fileURLWithPath: weights)
        let report = try model.load(from: url, nonFinite: policy)
        model.eval()
        return ExplainedModel(model: model, spec: .imagenet(classes: classes), description: "\(name), weights \(url.lastPathComponent)",
                              weightReport: report)
    }

    public init(model: Module, spec: InputSpec, description: String, run: RunConfiguration? = nil, weightReport: WeightLoadReport? = nil) {
        self.model = model; self.spec = spec; self.description = description
        self.run = run; self.weightReport = weightReport
    }
}
