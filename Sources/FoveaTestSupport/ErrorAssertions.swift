import XCTest
import Fovea

/// Asserts that `body` throws an error whose description mentions `fragment` (a file name, usually).
public func assertThrowsMentioning(_ fragment: String, file: StaticString = #filePath, line: UInt = #line,
                                   _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error mentioning \(fragment)", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(fragment), "error \"\(error)\" does not mention \(fragment)", file: file, line: line)
    }
}

/// Asserts that `body` throws a `DataError` whose description contains every string in `needles`.
public func assertDataError<T>(_ needles: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected a DataError containing \(needles)", file: file, line: line)
    } catch let error as DataError {
        for needle in needles where !error.description.contains(needle) {
            XCTFail("\"\(error.description)\" does not contain \"\(needle)\"", file: file, line: line)
        }
    } catch {
        XCTFail("expected a DataError, got \(type(of: error)): \(error)", file: file, line: line)
    }
}
