import XCTest
import FoveaTestSupport
import Fovea

/// A small CNN learns a fixed synthetic task: 12x12 images holding a noisy horizontal bar, vertical
/// bar or square; the class is the shape. The same seed gives the same losses, bit for bit.
final class EndToEndTests: XCTestCase {
    static func batch(_ n: Int, _ rng: inout RandomGenerator) -> (Tensor, [Int]) {
        var x = Tensor.normal([n, 1, 12, 12], std: 0.3, using: &rng)
        var labels: [Int] = []
        for i in 0..<n {
            let label = Int(rng.next() % 3)
            labels.append(label)
            let r = 2 + Int(rng.next() % 6), c = 2 + Int(rng.next() % 6)
            let cells: [(Int, Int)] = switch label {
            case 0: (0..<5).map { (r, c + $0 - 2 + 2) }        // horizontal bar
            case 1: (0..<5).map { (r + $0 - 2 + 2, c) }        // vertical bar
            default: [(r, c), (r + 1, c), (r, c + 1), (r + 1, c + 1)]  // square
            }
            for (y, xx) in cells where y < 12 && xx < 12 { x[i, 0, y, xx] += 2 }
        }
        return (x, labels)
    }

    func train(seed: UInt64, steps: Int) throws -> [Float] {
        var rng = RandomGenerator(seed: seed)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), BatchNorm2d(channels: 8), ReLU(), MaxPool2d(kernelSize: 2),
                               Conv2d(inputChannels: 8, outputChannels: 16, kernelSize: 3, padding: 1, using: &rng), ReLU(), AdaptiveAvgPool2d(), Flatten(),
                               Linear(inputFeatures: 16, outputFeatures: 3, using: &rng))
        let optimizer = try SGD(model.namedParameters(), learningRate: 0.1, momentum: 0.9)
        var losses: [Float] = []
        for _ in 0..<steps {
            let (x, y) = Self.batch(32, &rng)
            let loss = try crossEntropy(model(Variable(x)), targets: y)
            model.zeroGrad()
            loss.backward()
            optimizer.step()
            losses.append(loss.value.storage[0])
        }
        return losses
    }

    func testSmallCNNLearnsAndIsDeterministic() throws {
        let losses = try train(seed: 11, steps: 150)
        let initial = losses.prefix(10).reduce(0, +) / 10
        let final = losses.suffix(10).reduce(0, +) / 10
        XCTAssertGreaterThan(initial, 0.9, "starts near ln 3 ≈ 1.10")
        XCTAssertLessThan(final, 0.25, "mean loss over the last 10 of 150 steps")
        XCTAssertEqual(try train(seed: 11, steps: 20), Array(losses.prefix(20)), "same seed, same losses, bit for bit")
    }
}
