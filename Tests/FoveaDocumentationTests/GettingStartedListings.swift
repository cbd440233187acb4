import Foundation
import XCTest
import Fovea

/// The listings of `Fovea.docc/GettingStarted.md`, run on a tiny stand-in for Fashion-MNIST.
final class GettingStartedListings: XCTestCase {
    func testTrainingLoop() throws {
        try enterListingFolder()

        var rng = RandomGenerator(seed: 0)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 16, kernelSize: 3, padding: 1, using: &rng),
                                   BatchNorm2d(channels: 16), ReLU(), MaxPool2d(kernelSize: 2), Flatten(),
                                   Linear(inputFeatures: 16 * 14 * 14, outputFeatures: 10, using: &rng))
        let optimizer = try SGD(model.namedParameters(), learningRate: 0.05, momentum: 0.9)
        let data = try DataLoader(dataset: .fashionMNIST(directory: "data/fashion-mnist", split: .train),
                                  batchSize: 64, normalization: .fashionMNIST)
        for batch in data.batches(epoch: 0) {
            let loss = try crossEntropy(model(Variable(batch.images)), targets: batch.labels)
            model.zeroGrad(); loss.backward(); optimizer.step()
        }

        XCTAssertEqual(model.stateDict().names.prefix(3), ["0.weight", "0.bias", "1.weight"])
        XCTAssertNotNil(model.parameters.first?.grad, "the loop ran a backward pass")
    }

    func testLoadingTorchvisionWeights() throws {
        try enterListingFolder()
        var other = RandomGenerator(seed: 7)
        let saved = try ModelRegistry.make("resnet18", options: ModelOptions(classes: 1000), using: &other)
        try saved.save(to: URL(fileURLWithPath: "resnet18.safetensors"))

        var rng = RandomGenerator(seed: 0)
        let model = try ModelRegistry.make("resnet18", options: ModelOptions(classes: 1000), using: &rng)
        let report = try model.load(from: URL(fileURLWithPath: "resnet18.safetensors"))
        if let warning = report.warning { print(warning) }
        model.eval()
        let images = Tensor(shape: [1, 3, 224, 224], repeating: 0.5)
        let logits = try GradMode.withoutGradients { try model(Variable(images)) }
        print(logits.shape)   // [1, 1000]

        XCTAssertEqual(logits.shape, [1, 1000])
        XCTAssertEqual(model.stateDict(), saved.stateDict())
    }
}
