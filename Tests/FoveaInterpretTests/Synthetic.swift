import Fovea
import FoveaTestSupport

/// A synthetic task whose answer lies in a known region: 16x16 grey noise with a bright horizontal
/// "distractor" bar somewhere outside the region; class 1 images also have a bright vertical bar
/// inside rows 2..<6, columns 9..<13. A small CNN learns it in a few hundred SGD steps.
enum Synthetic {
    static let rows = 2..<6, columns = 9..<13

    static func region(_ y: Int, _ x: Int, margin: Int = 0) -> Bool {
        (rows.lowerBound - margin..<rows.upperBound + margin).contains(y) && (columns.lowerBound - margin..<columns.upperBound + margin).contains(x)
    }

    /// `count` images `(count, 1, 16, 16)` and labels, half of each class.
    static func images(_ count: Int, seed: UInt64) -> (Tensor, [Int]) {
        var rng = RandomGenerator(seed: seed)
        var storage: [Float] = [], labels: [Int] = []
        for i in 0..<count {
            var image = (0..<256).map { _ in 0.3 * rng.nextUnitFloat() }
            func bar(_ y: Int, _ x: Int) { for dx in 0..<4 { image[y * 16 + x + dx] = 1 } }
            var y = 0, x = 0
            repeat { y = Int(rng.next() % 16); x = Int(rng.next() % 13) } while region(y, x, margin: 3)
            bar(y, x)
            let label = i % 2
            if label == 1 {
                let x = columns.lowerBound + Int(rng.next() % 4)
                for y in rows { image[y * 16 + x] = 1 }
            }
            storage += image
            labels.append(label)
        }
        return (Tensor(shape: [count, 1, 16, 16], storage: storage), labels)
    }

    static func network(seed: UInt64) throws -> Module {
        var rng = RandomGenerator(seed: seed)
        let features = try Sequential(Conv2d(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), ReLU(), MaxPool2d(kernelSize: 2),
                                  Conv2d(inputChannels: 8, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), ReLU())
        return Classifier(features: features, head: try Linear(inputFeatures: 8, outputFeatures: 2, using: &rng))
    }

    /// Trained once per test run (about a second): the model, test images and their labels.
    nonisolated(unsafe) static var cache: (Module, Tensor, [Int])?

    static func trainedModel() throws -> (Module, Tensor, [Int]) {
        if let cache { return cache }
        let model = try network(seed: 1)
        let (train, labels) = images(512, seed: 2)
        let optimizer = try SGD(model.namedParameters(), learningRate: 0.05, momentum: 0.9)
        model.train()
        for _ in 0..<8 {
            for start in stride(from: 0, to: 512, by: 32) {
                let x = Tensor(shape: [32, 1, 16, 16], storage: Array(train.storage[(start * 256)..<((start + 32) * 256)]))
                let loss = try crossEntropy(model(Variable(x)), targets: Array(labels[start..<(start + 32)]))
                model.zeroGrad()
                loss.backward()
                optimizer.step()
            }
        }
        model.eval()
        let (test, testLabels) = images(64, seed: 3)
        cache = (model, test, testLabels)
        return cache!
    }
}

/// `features`, global average pooling and a linear head (the architecture CAM assumes, as in
/// ResNet); layer names `features.N`, `pool`, `head`.
final class Classifier: Module {
    let features: Sequential, pool = AdaptiveAvgPool2d(), head: Linear
    init(features: Sequential, head: Linear) {
        self.features = features; self.head = head
        super.init()
        registerModule("features", features)
        registerModule("pool", pool)
        registerModule("head", head)
    }
    override func forward(_ x: Variable) throws -> Variable { try head(flatten(pool(features(x)))) }
}
