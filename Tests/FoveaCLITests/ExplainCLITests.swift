import XCTest
import Foundation

/// `fovea explain`, `filters`, `features`: listed in the help, and clear errors for bad input.
final class ExplainCLITests: XCTestCase {
    func testInterpretCommandsAreListed() throws {
        let (status, out) = try run(["--help"])
        XCTAssertEqual(status, 0)
        for command in ["explain", "filters", "features"] {
            XCTAssertTrue(out.contains("\n  \(command) "), "help lacks \(command):\n\(out)")
        }
        let (_, help) = try run(["explain", "--help"])
        for method in ["gradcam++", "smoothgrad", "guided-gradcam", "occlusion"] { XCTAssertTrue(help.contains(method), help) }
    }

    func testExplainErrorsTellWhatToDo() throws {
        var (status, out) = try run(["explain"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("give a run folder (written by `fovea train`) or --model NAME --weights FILE"), out)
        (status, out) = try run(["explain", "--model", "resnet18", "x.png"])
        XCTAssertTrue(out.contains("--model resnet18 needs --weights FILE.safetensors"), out)
        (status, out) = try run(["explain", "/nonexistent-fovea-run", "x.png"])
        XCTAssertTrue(out.contains("/nonexistent-fovea-run/config.json: cannot be read"), out)
        (status, out) = try run(["features", "/nonexistent-fovea-run", "x.png"])
        XCTAssertTrue(out.contains("Missing expected argument '--layer <layer>'"), out)
    }
}
