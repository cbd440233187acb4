import FoveaModels
import FoveaTensor

/// Times training steps (forward, cross-entropy, backward, SGD step) of a registry model on random
/// data: the throughput figure compared with PyTorch by `tools/bench/train_peer.py`.
public enum TrainingBenchmark {
    /// Median images per second over `repeats` timed runs of `steps` steps each, after `warmup` steps.
    public static func imagesPerSecond(model name: String, classes: Int = 10, input: [Int], batch: Int,
                                       steps: Int = 20, warmup: Int = 5, repeats: Int = 3) throws -> Double {
        guard input.count == 3 else { throw ConfigurationError(owner: "bench", "input must be C x H x W, got \(input)") }
        var rng = RandomGenerator(seed: 0)
        let model = try ModelRegistry.make(name, classes: classes, inputChannels: input[0], using: &rng)
        let optimizer = try SGD(model.namedParameters(), learningRate: 0.01, momentum: 0.9)
        let x = Tensor.normal([batch] + input, using: &rng)
        let labels = (0..<batch).map { $0 % classes }
        func step() throws {
            let loss = try crossEntropy(model(Variable(x)), targets: labels)
            model.zeroGrad()
            loss.backward()
            optimizer.step()
        }
        for _ in 0..<warmup { try step() }
        var rates: [Double] = []
        for _ in 0..<repeats {
            let start = now()
            for _ in 0..<steps { try step() }
            rates.append(Double(steps * batch) / (now() - start))
        }
        return rates.sorted()[rates.count / 2]
    }
}
