import XCTest
import FoveaTestSupport
import Fovea

final class AutogradTests: XCTestCase {
    func testGradientsAccumulateOverSharedUse() throws {
        let x = Variable(Tensor(shape: [3], storage: [1, 2, 3]), requiresGrad: true)
        let y = sum(try x * x + x)          // dy/dx = 2x + 1
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

    func testConstantsNeedNoGradient() throws {
        let a = Variable(Tensor(shape: [2], storage: [1, 2]))
        let b = Variable(Tensor(shape: [2], storage: [3, 4]), requiresGrad: true)
        let y = sum(try a * b)
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
