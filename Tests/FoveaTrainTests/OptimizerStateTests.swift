import XCTest
import Fovea

/// Optimizer state kept in the parameter's shape and saved flat, as checkpoints have always held it.
final class OptimizerStateTests: XCTestCase {
    private func parameter(_ shape: [Int]) -> Variable {
        let p = Variable(Tensor(shape: shape, repeating: 1), requiresGrad: true)
        p.grad = Tensor(shape: shape, repeating: 0.5)
        return p
    }

    func testStateIsSavedFlatAndLoadsEitherShape() throws {
        let p = parameter([2, 3])
        let sgd = try SGD([NamedParameter(name: "w", variable: p)], learningRate: 0.1, momentum: 0.9)
        sgd.step()
        XCTAssertEqual(sgd.state.names, ["step", "w.momentum_buffer"])
        XCTAssertEqual(sgd.state["w.momentum_buffer"]?.shape, [6], "checkpoints keep today's flat buffers")
        var shaped = sgd.state
        shaped["w.momentum_buffer"] = try shaped["w.momentum_buffer"]?.reshaped([2, 3])
        for saved in [sgd.state, shaped] {
            let q = parameter([2, 3])
            let other = try SGD([NamedParameter(name: "w", variable: q)], learningRate: 0.1, momentum: 0.9)
            try other.loadState(saved)
            XCTAssertEqual(other.state, sgd.state)
        }
    }

    func testBuffersOfTheWrongSizeAreRefused() throws {
        let p = parameter([4])
        let adam = try Adam([NamedParameter(name: "w", variable: p)])
        var state = StateDict()
        state["step"] = Tensor(3)
        state["w.exp_avg"] = Tensor(shape: [2], repeating: 0)
        XCTAssertThrowsError(try adam.loadState(state)) { error in
            XCTAssertEqual("\(error)", "optimizer: saved state w.exp_avg has shape [2], expected [4]")
        }
        state["w.exp_avg"] = nil
        state["w.velocity"] = Tensor(shape: [4], repeating: 0)
        XCTAssertThrowsError(try adam.loadState(state)) { XCTAssertTrue("\($0)".contains("w.velocity"), "\($0)") }
        state["w.velocity"] = nil
        state["step"] = Tensor(.nan)
        XCTAssertThrowsError(try adam.loadState(state)) { XCTAssertTrue("\($0)".contains("step count"), "\($0)") }
        adam.step()
        XCTAssertEqual(adam.state["step"]?.storage, [1], "a refused load changes nothing")
    }

    func testMomentumIsSetThroughTheProtocol() throws {
        let optimizers: [Optimizer] = [
            try SGD([NamedParameter(name: "a", variable: parameter([1]))], learningRate: 0.1, momentum: 0.9),
            try SGD([NamedParameter(name: "b", variable: parameter([1]))], learningRate: 0.1),
            try Adam([NamedParameter(name: "c", variable: parameter([1]))]),
        ]
        for o in optimizers { o.setMomentum(0.8) }
        XCTAssertEqual((optimizers[0] as? SGD)?.momentum, 0.8)
        XCTAssertEqual((optimizers[1] as? SGD)?.momentum, 0, "plain SGD stays plain")
        XCTAssertEqual((optimizers[2] as? Adam)?.beta1, 0.8)
    }
}
