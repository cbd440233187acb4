import XCTest
import Fovea

final class StateDictTests: XCTestCase {
    func testKeepsOrderAndLooksUpByName() {
        var state = StateDict([(name: "b", tensor: Tensor(1)), (name: "a", tensor: Tensor(2))])
        XCTAssertEqual(state.names, ["b", "a"])
        XCTAssertEqual(state["a"], Tensor(2))
        XCTAssertNil(state["c"])
        state["b"] = Tensor(3)
        state["c"] = Tensor(4)
        XCTAssertEqual(state.names, ["b", "a", "c"], "replacing keeps the position, adding appends")
        state["b"] = nil
        XCTAssertEqual(state.names, ["a", "c"])
        XCTAssertEqual(state["c"], Tensor(4))
        XCTAssertEqual(state.map(\.tensor), [Tensor(2), Tensor(4)])
    }

    func testDictionaryIsOrderedByName() {
        XCTAssertEqual(StateDict(["z": Tensor(1), "m": Tensor(2), "a": Tensor(3)]).names, ["a", "m", "z"])
    }

    func testModuleStateRoundTrips() throws {
        var rng = RandomGenerator(seed: 0)
        let model = try Sequential(Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, using: &rng), BatchNorm2d(channels: 2))
        let state = model.stateDict()
        XCTAssertEqual(state.names, ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"])
        var other = RandomGenerator(seed: 9)
        let copy = try Sequential(Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, using: &other), BatchNorm2d(channels: 2))
        try copy.loadStateDict(state)
        XCTAssertEqual(copy.stateDict(), state)
        XCTAssertEqual(model.namedParameters().map(\.name), ["0.weight", "0.bias", "1.weight", "1.bias"])
    }
}
