import Foundation
import FoveaImage
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

    /// Opens a run folder, finished or interrupted (see `TrainedRun`).
    public static func run(_ path: String) throws -> ExplainedModel {
        let config = try RunFolder.readConfiguration(at: path)
        let dataset = try DatasetInfo.named(config.dataset)
        let trained = try TrainedRun(path: path, classes: dataset.classNames.count, inputChannels: dataset.channels)
        return ExplainedModel(model: trained.model, spec: .dataset(dataset),
                              description: "\(config.model) on \(dataset.name), \(trained.checkpointDescription)")
    }

    /// Builds zoo model `name` and loads `weights` (a torchvision `state_dict` saved with
    /// safetensors). Inputs get ImageNet preprocessing.
    public static func zoo(_ name: String, weights: String, classes: Int = 1000) throws -> ExplainedModel {
        var rng = RandomGenerator(seed: 0)
        let model = try ModelRegistry.make(name, classes: classes, inputChannels: 3, rng: &rng)
        let url = URL(fileURLWithPath: weights)
        try model.load(from: url)
        model.eval()
        return ExplainedModel(model: model, spec: .imagenet(classes: classes), description: "\(name), weights \(url.lastPathComponent)")
    }

    public init(model: Module, spec: InputSpec, description: String) {
        self.model = model; self.spec = spec; self.description = description
    }
}
