import XCTest
import Fovea

/// Asserts `actual ≈ expected` elementwise: |a − e| ≤ atol + rtol·|e|, reporting the worst element.
public func assertClose<T: BinaryFloatingPoint>(_ actual: [T], _ expected: [T], rtol: Double = 1e-5, atol: Double = 1e-6,
                                               _ message: @autoclosure () -> String = "",
                                               file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count mismatch. \(message())", file: file, line: line)
    guard actual.count == expected.count else { return }
    var worst = -1, worstExcess = 0.0
    for i in actual.indices {
        let a = Double(actual[i]), e = Double(expected[i])
        let excess = abs(a - e) - (atol + rtol * abs(e))
        if !(excess <= 0) && (worst < 0 || excess > worstExcess || excess.isNaN) { worst = i; worstExcess = excess }
    }
    if worst >= 0 {
        XCTFail("element \(worst): \(actual[worst]) vs expected \(expected[worst]) (rtol \(rtol), atol \(atol)). \(message())",
                file: file, line: line)
    }
}

/// `assertClose` for tensors, also checking shapes.
public func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-5, atol: Double = 1e-6,
                        _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape mismatch. \(message())", file: file, line: line)
    assertClose(actual.storage, expected.storage, rtol: rtol, atol: atol, message(), file: file, line: line)
}
