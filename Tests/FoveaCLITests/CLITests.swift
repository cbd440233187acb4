import XCTest
import Foundation

/// Runs the built `fovea` binary as a user would and checks what it prints.
final class CLITests: XCTestCase {
    func testHelpListsEveryCommand() throws {
        let (status, out) = try run(["--help"])
        XCTAssertEqual(status, 0)
        for command in ["demo", "train", "eval", "diagnose", "models", "bench"] {
            XCTAssertTrue(out.contains("\n  \(command) "), "help lacks \(command):\n\(out)")
        }
    }

    func testTrainHelpIsExact() throws {
        let (status, out) = try run(["train", "--help"])
        XCTAssertEqual(status, 0)
        let expected = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                                    .appendingPathComponent("train-help.txt"), encoding: .utf8)
        XCTAssertEqual(out, expected)
    }

    func testBadOptionsGetClearErrors() throws {
        var (status, out) = try run(["train", "--optimizer", "bogus"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("unknown optimizer 'bogus'; choose sgd or adamw"), out)
        (status, out) = try run(["train", "--model", "nope"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("unknown model 'nope'"), out)
        (status, out) = try run(["train", "--data", "/nonexistent-fovea-data"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("/nonexistent-fovea-data/train-images-idx3-ubyte.gz: file not found"), out)
        (status, out) = try run(["predict", "/nonexistent-fovea-run", "x.png"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("/nonexistent-fovea-run/config.json cannot be read"), out)
        (status, out) = try run(["eval", "/nonexistent-fovea-run"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("/nonexistent-fovea-run/config.json cannot be read"), out)
    }

    func testModelsListsTheZoo() throws {
        let (status, out) = try run(["models"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(out.contains("lenet5"), out)
    }
}
