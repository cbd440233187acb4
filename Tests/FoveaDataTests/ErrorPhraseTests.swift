import Foundation
import FoveaTensor
import XCTest

/// Foundation's file and decoding errors become short phrases.
final class ErrorPhraseTests: XCTestCase {
    func testFileReadErrors() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)")
        XCTAssertThrowsError(try Data(contentsOf: missing)) { XCTAssertEqual(ErrorPhrase.fileRead($0), "file not found") }
        XCTAssertThrowsError(try Data(contentsOf: FileManager.default.temporaryDirectory)) {
            XCTAssertEqual(ErrorPhrase.fileRead($0), "is a directory, not a file")
        }
        XCTAssertEqual(ErrorPhrase.fileRead(CocoaError(.fileReadNoPermission)), "permission denied")
        XCTAssertEqual(ErrorPhrase.fileRead(POSIXError(.EACCES)), "permission denied")
        XCTAssertEqual(ErrorPhrase.fileRead(POSIXError(.EIO)), "input/output error")
    }

    struct Config: Decodable {
        struct Training: Decodable { var epochs: Int }
        var model: String
        var training: Training
        var history: [Training]?
    }

    func phrase(_ json: String) -> String {
        do { _ = try JSONDecoder().decode(Config.self, from: Data(json.utf8)); return "decoded" } catch {
            return ErrorPhrase.decoding(error)
        }
    }

    func testDecodingErrors() {
        XCTAssertEqual(phrase(#"{"training":{"epochs":1}}"#), "key 'model' missing")
        XCTAssertEqual(phrase(#"{"model":"m","training":{"epochs":"ten"}}"#), "at training.epochs: expected Int, found a string")
        XCTAssertEqual(phrase(#"{"model":"m","training":{"epochs":null}}"#), "at training.epochs: expected Int, found null")
        XCTAssertEqual(phrase(#"{"model":"m","training":{"epochs":1},"history":[{"epochs":1},{}]}"#), "at history[1]: key 'epochs' missing")
        XCTAssertEqual(phrase(#"{"model":"m","#), "not valid JSON")
        XCTAssertEqual(phrase(#"[1]"#), "expected an object, found an array")
    }
}
