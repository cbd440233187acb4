import XCTest
import FoveaTestSupport
import Fovea

final class AutogradTests: XCTestCase {
    func testGradientsAccumulateOverSharedUse() throws {
        let x = Variable(Tensor(shape: [3], storage: [1, 2, 3]), requiresGrad: true)
        let y = try sum(x * x + x)          // dy/dx = 2x + 1
        y.backward()
        XCTAssertEqual(x.grad?.storage, [3, 5, 7])
    }

    func testInferenceModeRecordsNothing() throws {
        let w = Variable(Tensor(shape: [2], storage: [1, 2]), requiresGrad: true)
        let y = try GradMode.withoutGradients { try w * w }
        XCTAssertFalse(y.requiresGrad, "no graph is recorded without gradients")
        y.backward()
        XCTAssertNil(w.grad)
        XCTAssertTrue(GradMode.isEnabled, "the mode is scoped")
    }

    func testGradientsOnlyForChosenLeaves() throws {
        // A convolution and a linear layer: inside the scope the input's gradient is the usual one,
        // the parameters get none (their weight-gradient kernels are skipped), and the scope ends.
        var rng = RandomGenerator(seed: 3)
        func leaf(_ shape: [Int], grad: Bool) -> Variable {
            Variable(Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &rng) }), requiresGrad: grad)
        }
        let x = leaf([2, 3, 5, 5], grad: true), w = leaf([4, 3, 3, 3], grad: true), b = leaf([4], grad: true)
        let lw = leaf([2, 36], grad: true)
        func loss() throws -> Variable {
            try sum(linear(flatten(conv2d(x, weight: w, bias: b)), weight: lw, bias: nil))
        }
        try loss().backward()
        let expected = try XCTUnwrap(x.grad)
        x.zeroGrad(); w.zeroGrad(); b.zeroGrad(); lw.zeroGrad()
        try GradMode.withGradients(onlyFor: [x]) {
            XCTAssertFalse(w.requiresGrad)
            try loss().backward()
        }
        XCTAssertEqual(x.grad?.storage, expected.storage)
        XCTAssertNil(w.grad); XCTAssertNil(b.grad); XCTAssertNil(lw.grad)
        XCTAssertTrue(w.requiresGrad, "the scope ends with the call")
    }

    func testConstantsNeedNoGradient() throws {
        let a = Variable(Tensor(shape: [2], storage: [1, 2]))
        let b = Variable(Tensor(shape: [2], storage: [3, 4]), requiresGrad: true)
        let y = try sum(a * b)
        y.backward()
        XCTAssertNil(a.grad)
        XCTAssertEqual(b.grad?.storage, [1, 2])
    }

    func testShapeErrorsNameTheOpAndShapes() throws {
        let x = Variable(Tensor(shape: [2, 3, 8, 8]))
        let w = Variable(Tensor(shape: [4, 1, 3, 3]))
        XCTAssertThrowsError(try conv2d(x, weight: w, bias: nil, label: "features.0")) { error in
            XCTAssertEqual("\(error)", "features.0: expected input (N, 1, H, W), got [2, 3, 8, 8]")
        }
        let small = Variable(Tensor(shape: [1, 1, 2, 2]))
        XCTAssertThrowsError(try conv2d(small, weight: w, bias: nil, label: "conv1")) { error in
            XCTAssertTrue("\(error)".hasPrefix("conv1: expected input at least 3x3"), "\(error)")
        }
        XCTAssertThrowsError(try Variable(Tensor(shape: [2, 3])) + Variable(Tensor(shape: [4]))) { error in
            XCTAssertEqual("\(error)", "add: expected shapes that broadcast with [2, 3], got [4]")
        }
        XCTAssertThrowsError(try maxPool2d(small, kernel: (3, 3), stride: (2, 2)))
        XCTAssertThrowsError(try reshape(x, [5, -1]))
    }
}
