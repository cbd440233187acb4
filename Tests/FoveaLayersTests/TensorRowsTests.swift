import XCTest
import Fovea

/// The batch and row helpers that prediction, evaluation and the attribution methods share.
final class TensorRowsTests: XCTestCase {
    let batch = Tensor(shape: [3, 2, 2], storage: (0..<12).map(Float.init))

    func testSliceItemAndConcatenation() {
        XCTAssertEqual(batch.itemCount, 4)
        XCTAssertEqual(batch.slice(1..<3), Tensor(shape: [2, 2, 2], storage: (4..<12).map(Float.init)))
        XCTAssertEqual(batch.slice(1..<1).shape, [0, 2, 2])
        XCTAssertEqual(batch.item(2), Tensor(shape: [2, 2], storage: [8, 9, 10, 11]))
        XCTAssertEqual(Tensor(concatenating: [batch.slice(0..<1), batch.slice(1..<3)]), batch)
    }

    func testArgmaxTakesTheFirstOfTies() {
        let logits = Tensor(shape: [3, 3], storage: [0, 2, 2, -1, -3, -2, 5, 4, 6])
        XCTAssertEqual(logits.argmaxRows(), [1, 0, 2])
    }

    func testSoftmaxRowsIsStableAndSumsToOne() {
        let p = Tensor(shape: [2, 3], storage: [1000, 1001, 1002, 0, 0, 0]).softmaxRows()
        XCTAssertEqual(p.storage[3], 1.0 / 3, accuracy: 1e-7)
        // exp(0), exp(1), exp(2) over their sum.
        let e = [1, M_E, M_E * M_E], s = e.reduce(0, +)
        for k in 0..<3 { XCTAssertEqual(Double(p.storage[k]), e[k] / s, accuracy: 1e-7) }
        XCTAssertFalse(p.storage.contains { !$0.isFinite })
    }

    func testOneHot() {
        XCTAssertEqual(Tensor.oneHot([2, 0], classes: 3), Tensor(shape: [2, 3], storage: [0, 0, 1, 1, 0, 0]))
    }

    func testPointersToSeveralTensorsAtOnce() {
        let a = Tensor(shape: [2], storage: [1, 2]), b = Tensor(shape: [1], storage: [7])
        let read = Tensor.withUnsafePointers([a, nil, b]) { p in [p[0]![1], p[1] == nil ? -1 : 0, p[2]![0]] }
        XCTAssertEqual(read, [2, -1, 7])
    }
}
