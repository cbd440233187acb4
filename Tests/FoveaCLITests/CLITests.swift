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
        XCTAssertTrue(out.contains("The value 'bogus' is invalid for '--optimizer <optimizer>'. Please provide one of 'sgd' and 'adamw'."), out)
        (status, out) = try run(["train", "--model", "nope"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("unknown model 'nope'"), out)
        (status, out) = try run(["train", "--data", "/nonexistent-fovea-data"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("/nonexistent-fovea-data/train-images-idx3-ubyte.gz: file not found"), out)
        (status, out) = try run(["predict", "/nonexistent-fovea-run", "x.png"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("/nonexistent-fovea-run/config.json: cannot be read"), out)
        (status, out) = try run(["eval", "/nonexistent-fovea-run"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("/nonexistent-fovea-run/config.json: cannot be read"), out)
    }

    func testNegativeNumbersReachValidation() throws {
        var (status, out) = try run(["train", "--lr", "-0.1"])
        XCTAssertEqual(status, 1, out)
        XCTAssertTrue(out.contains("Error: training: learning rate must be a positive number, got -0.1"), out)
        (status, out) = try run(["train", "--epochs", "-1"])
        XCTAssertTrue(out.contains("Error: training: epochs must be positive, got -1"), out)
        (status, out) = try run(["train", "--train-limit", "-3"])
        XCTAssertTrue(out.contains("Error: --train-limit must be positive, got -3"), out)
        (status, out) = try run(["demo", "--epochs", "0"])
        XCTAssertTrue(out.contains("Error: --epochs must be at least 1, got 0"), out)
        XCTAssertFalse(out.contains("Missing value"), out)
    }

    func testModelsListsTheZoo() throws {
        let (status, out) = try run(["models"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(out.contains("lenet5"), out)
    }
}
