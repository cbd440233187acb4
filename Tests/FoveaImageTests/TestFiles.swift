import Foundation
import XCTest

/// A fresh temporary folder for one test, removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "fovea-image-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// Asserts that `body` throws an error whose description mentions `fragment` (a file name, usually).
func assertThrowsMentioning(_ fragment: String, file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error mentioning \(fragment)", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(fragment), "error \"\(error)\" does not mention \(fragment)", file: file, line: line)
    }
}
