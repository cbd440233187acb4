import XCTest
import FoveaTestSupport
import Fovea

final class ModuleTests: XCTestCase {
    /// The fixture's model: Conv(1,4,3,p1) → BN(4) → ReLU → MaxPool(2) → Conv(4,8,3,p1) → ReLU → GAP → Flatten → Linear(8,3).
    func smallCNN(_ rng: inout RandomGenerator) throws -> Sequential {
        try Sequential(Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, padding: 1, using: &rng), BatchNorm2d(channels: 4), ReLU(), MaxPool2d(kernelSize: 2),
                   Conv2d(inputChannels: 4, outputChannels: 8, kernelSize: 3, padding: 1, using: &rng), ReLU(), AdaptiveAvgPool2d(), Flatten(),
                   Linear(inputFeatures: 8, outputFeatures: 3, using: &rng))
    }

    func testStateDictKeysEqualTorchs() throws {
        var rng = RandomGenerator(seed: 1)
        let model = try smallCNN(&rng)
        XCTAssertEqual(model.stateDict().map(\.name),
                       ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                        "4.weight", "4.bias", "8.weight", "8.bias"])
        XCTAssertEqual(model.parameterCount, 4 * 9 + 4 + 4 + 4 + 8 * 4 * 9 + 8 + 3 * 8 + 3)
    }

    func testNestedPathsAreDotted() throws {
        var rng = RandomGenerator(seed: 1)
        let block = Residual(body: ("conv", try Conv2d(inputChannels: 2, outputChannels: 2, kernelSize: 3, padding: 1, bias: false, using: &rng)),
                             post: ("relu", ReLU()))
        let model = Sequential(Sequential(block))
        XCTAssertEqual(model.namedParameters().map(\.name), ["0.0.conv.weight"])
        XCTAssertEqual(block.path, "0.0")
    }

    func testForwardAndBackwardMatchPyTorch() throws {
        let fx = try Fixture("small_cnn")
        var rng = RandomGenerator(seed: 1)
        let model = try smallCNN(&rng)
        var state = StateDict()
        for (key, t) in fx.tensors where key.hasPrefix("param:") { state[String(key.dropFirst(6))] = t }
        try model.loadStateDict(state)
        let logits = try model(Variable(fx["input"]))
        assertClose(logits.value, fx["logits"], rtol: 1e-4, atol: 1e-5, "logits")
        let loss = try crossEntropy(logits, targets: fx["target"].storage.map { Int($0) })
        assertClose(loss.value.storage, fx["loss"].storage, rtol: 1e-5, atol: 1e-6, "loss")
        loss.backward()
        for p in model.namedParameters() {
            assertClose(p.variable.grad!, fx["grad:" + p.name], rtol: 1e-3, atol: 1e-5, "grad of \(p.name)")
        }
        let after = model.stateDict()
        for key in ["1.running_mean", "1.running_var", "1.num_batches_tracked"] {
            assertClose(after[key]!, fx["state_after:" + key], rtol: 1e-5, atol: 1e-6, key)
        }
    }

    func testLoadStateDictListsEveryProblemAndChangesNothing() throws {
        var rng = RandomGenerator(seed: 1)
        let model = try smallCNN(&rng)
        let before = model.stateDict()
        var state = before
        state["0.bias"] = nil
        state["9.weight"] = Tensor(shape: [1])
        state["8.weight"] = Tensor(shape: [3, 9])
        XCTAssertThrowsError(try model.loadStateDict(state)) { error in
            let e = error as! StateDictError
            XCTAssertEqual(e.missing, ["0.bias"])
            XCTAssertEqual(e.unexpected, ["9.weight"])
            XCTAssertEqual(e.misShaped, ["8.weight: expected [3, 8], got [3, 9]"])
        }
        XCTAssertEqual(model.stateDict().map(\.tensor), before.map(\.tensor), "a failed load changes nothing")
    }

    func testCaptureRecordsNamedActivationsAndTheirGradients() throws {
        var rng = RandomGenerator(seed: 3)
        let model = try smallCNN(&rng)
        let x = Variable(Tensor.uniform([2, 1, 8, 8], low: -1, high: 1, using: &rng))
        let capture = ActivationCapture(["4"])
        let logits = try capture.during { try model(x) }
        sum(logits).backward()
        let a = try XCTUnwrap(capture["4"])
        XCTAssertEqual(a.shape, [2, 8, 4, 4])
        XCTAssertEqual(a.grad?.shape, [2, 8, 4, 4])
        XCTAssertNil(capture["0"], "only the named layer is captured")
        // Outside `during`, nothing is captured.
        _ = try model(x)
        XCTAssertEqual(capture.outputs.count, 1)
    }

    func testLayerErrorsNameTheLayer() throws {
        var rng = RandomGenerator(seed: 1)
        let model = try smallCNN(&rng)
        XCTAssertThrowsError(try model(Variable(Tensor(shape: [2, 3, 8, 8])))) { error in
            XCTAssertEqual("\(error)", "0: expected input (N, 1, H, W), got [2, 3, 8, 8]")
        }
        XCTAssertThrowsError(try Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, groups: 2, using: &rng)) { error in
            XCTAssertTrue("\(error)".contains("groups 2 must divide"), "\(error)")
        }
        XCTAssertThrowsError(try Dropout(p: 1.5, using: &rng))
    }

    func testEvalModeUsesRunningStatisticsAndDisablesDropout() throws {
        var rng = RandomGenerator(seed: 5)
        let model = try Sequential(BatchNorm2d(channels: 2), Dropout(p: 0.5, using: &rng))
        model.eval()
        let x = Tensor.uniform([2, 2, 3, 3], low: -1, high: 1, using: &rng)
        let y = try model(Variable(x))
        // Fresh running stats (mean 0, var 1): eval BN is x/√(1+eps); dropout is the identity.
        assertClose(y.value.storage, x.storage.map { $0 / (1 + 1e-5).squareRoot() }, rtol: 1e-6)
    }
}
