import XCTest
import FoveaTestSupport
import Fovea

final class TrainSmokeTests: XCTestCase {
    func testTensorShape() throws {
        let t = Tensor(shape: [2, 3], repeating: 1)
        XCTAssertEqual(t.count, 6)
        XCTAssertEqual(try t.reshaped([3, -1]).shape, [3, 2])
    }
}
