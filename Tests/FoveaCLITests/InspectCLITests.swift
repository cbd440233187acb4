import XCTest
import Foundation

/// `fovea summary`, `fovea bench model` and `fovea compare` as a user runs them.
extension CLITests {
    func testSummaryPrintsAlignedTableAndTotals() throws {
        let (status, out) = try run(["summary", "--model", "lenet5", "--input", "1x28x28", "--classes", "10"])
        XCTAssertEqual(status, 0, out)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("layer") ?? false, out)
        XCTAssertTrue(out.contains("parameters: 61,706"), out)
        XCTAssertTrue(out.contains("multiply-accumulates: "), out)
        // Aligned: every row is as long as the header.
        let rows = lines.prefix { !$0.isEmpty }
        XCTAssertEqual(Set(rows.map(\.count)).count, 1, out)
    }

    func testSummaryRejectsABadInputShape() throws {
        let (status, out) = try run(["summary", "--model", "resnet18", "--input", "3x224"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("C x H x W"), out)
    }

    func testBenchModelPrintsJSON() throws {
        let (status, out) = try run(["bench", "model", "--model", "lenet5", "--input", "1x28x28", "--classes", "10",
                                     "--repeats", "3", "--json"])
        XCTAssertEqual(status, 0, out)
        let line = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("{") })
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["name"] as? String, "lenet5 b1")
        XCTAssertGreaterThan(object["median_ms"] as? Double ?? 0, 0)
        XCTAssertEqual(object["weight_bytes"] as? Int, 61_706 * 4)
    }

    func testCompareRejectsAnUnknownModel() throws {
        let (status, out) = try run(["compare", "--models", "lenet5,nonsense"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(out.contains("unknown model 'nonsense'"), out)
    }
}
