import XCTest
import Fovea

/// The listings of `Fovea.docc/TensorsAndAutograd.md`.
final class TensorsAndAutogradListings: XCTestCase {
    func testTensors() throws {
        var rng = RandomGenerator(seed: 0)
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        print(a[1, 2])                                    // 6.0: row-major, last index fastest
        let b = try a.reshaped([3, -1])                   // shape [3, 2], the same storage
        let noise = Tensor.normal([2, 1, 28, 28], using: &rng)
        let weights = Tensor.pytorchDefault([16, 1, 3, 3], fanIn: 9, using: &rng)

        XCTAssertEqual(a[1, 2], 6)
        XCTAssertEqual(b.shape, [3, 2])
        XCTAssertEqual(b.storage, a.storage)
        XCTAssertEqual(noise.count, 2 * 28 * 28)
        XCTAssertEqual(weights.shape, [16, 1, 3, 3])
        XCTAssertThrowsError(try a.reshaped([4, 2]))
    }

    func testBackward() throws {
        let x = Variable(Tensor(shape: [2, 3], storage: [1, -2, 3, -4, 5, -6]), requiresGrad: true)
        let w = Variable(Tensor(shape: [4, 3], repeating: 0.5), requiresGrad: true)
        let y = try linear(x, weight: w, bias: nil)       // (2, 4): x · wᵀ
        let loss = mean(relu(y))
        loss.backward()
        print(x.grad!.shape, w.grad!.shape)               // [2, 3] [4, 3]

        XCTAssertEqual(loss.value.storage, [0.5])         // row 0: four outputs of 1; row 1: negative, cut by relu
        XCTAssertEqual(x.grad?.storage, [0.25, 0.25, 0.25, 0, 0, 0])
        XCTAssertEqual(w.grad?.shape, [4, 3])
    }

    func testGradientModes() throws {
        var rng = RandomGenerator(seed: 0)
        let model = try LeNet5(classes: 10, using: &rng)
        model.eval()
        let images = Tensor.normal([4, 1, 28, 28], using: &rng)

        // Inference: nothing recorded, activations freed as soon as they are used.
        let logits = try GradMode.withoutGradients { try model(Variable(images)) }

        // Input gradients only (saliency): the parameters count as constants.
        let input = Variable(images, requiresGrad: true)
        try GradMode.withGradients(onlyFor: [input]) {
            let scores = try model(input)
            sum(scores).backward()
        }
        print(input.grad!.shape, model.parameters[0].grad == nil)   // [4, 1, 28, 28] true

        // A layer's output and its gradient, by its state_dict path.
        let capture = ActivationCapture(["features.3"])
        let output = try capture.during { try model(Variable(images)) }
        sum(output).backward()
        let features = capture["features.3"]!
        print(features.shape, features.grad!.shape)                // [4, 16, 10, 10] twice

        XCTAssertEqual(logits.shape, [4, 10])
        XCTAssertEqual(input.grad?.shape, [4, 1, 28, 28])
        XCTAssertEqual(features.shape, [4, 16, 10, 10])
        XCTAssertEqual(features.grad?.shape, features.shape)
    }
}
