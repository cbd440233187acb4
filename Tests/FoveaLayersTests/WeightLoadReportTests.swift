import XCTest
import FoveaTestSupport
import Fovea

/// NaN and infinite weights are reported (`.warn`) or refused (`.fail`) when a model loads them.
final class WeightLoadReportTests: XCTestCase {
    func model(seed: UInt64) throws -> Sequential {
        var rng = RandomGenerator(seed: seed)
        return try Sequential(Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, using: &rng), BatchNorm2d(channels: 2))
    }

    /// A weights file of `model(seed: 1)` with 2 NaNs in `0.weight` and an infinity in `1.bias`.
    func poisonedFile() throws -> URL {
        var state = try model(seed: 1).stateDict()
        state["0.weight"]?.storage[0] = .nan
        state["0.weight"]?.storage[5] = .nan
        state["1.bias"]?.storage[1] = -.infinity
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("poisoned.safetensors")
        try Safetensors.write(state, to: url)
        return url
    }

    func testWarnLoadsAndListsTheNonFiniteTensors() throws {
        let url = try poisonedFile()
        let target = try model(seed: 2)
        let report = try target.load(from: url)
        XCTAssertEqual(report.nonFinite, [NonFiniteTensor(name: "0.weight", count: 2, elementCount: 18),
                                          NonFiniteTensor(name: "1.bias", count: 1, elementCount: 2)])
        XCTAssertEqual(report.warning, "\(url.path): 2 tensors hold NaN or infinite values: 0.weight (2 of 18), 1.bias (1 of 2)")
        XCTAssertTrue(target.stateDict().first { $0.name == "0.weight" }!.tensor.storage[0].isNaN, "warn still loads")
    }

    func testFailRefusesAndChangesNothing() throws {
        let url = try poisonedFile()
        let target = try model(seed: 2)
        let before = target.stateDict().map(\.tensor)
        XCTAssertThrowsError(try target.load(from: url, nonFinite: .fail)) { error in
            XCTAssertEqual("\(error)", "\(url.path): 2 tensors hold NaN or infinite values: 0.weight (2 of 18), 1.bias (1 of 2); refusing to load them")
        }
        XCTAssertEqual(target.stateDict().map(\.tensor), before)
    }

    func testFiniteWeightsGiveNoWarning() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("fine.safetensors")
        try model(seed: 1).save(to: url)
        let report = try model(seed: 2).load(from: url, nonFinite: .fail)
        XCTAssertEqual(report.nonFinite, [])
        XCTAssertNil(report.warning)
    }

    func testLongListsAreCut() {
        let tensors = StateDict((0..<8).map { (name: "t\($0)", tensor: Tensor(shape: [1], storage: [.nan])) })
        XCTAssertEqual(WeightLoadReport(file: "f", tensors: tensors).warning,
                       "f: 8 tensors hold NaN or infinite values: t0 (1 of 1), t1 (1 of 1), t2 (1 of 1), t3 (1 of 1), t4 (1 of 1) and 3 more")
    }

    func testMismatchesFromTheFileStayOnOneLine() throws {
        var state = try model(seed: 1).stateDict()
        state["0.bias"] = nil
        for k in 0..<12 { state["evil\n\(k)"] = Tensor(shape: [1]) }
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("mismatch.safetensors")
        try Safetensors.write(state, to: url)
        XCTAssertThrowsError(try model(seed: 2).load(from: url)) { error in
            let text = "\(error)"
            XCTAssertFalse(text.contains("\n"), text)
            XCTAssertTrue(text.hasPrefix("\(url.path): state dict does not match the model: missing: 0.bias; unexpected: evil\\n0, evil\\n1, "), text)
            XCTAssertTrue(text.hasSuffix(" and 2 more"), text)
        }
    }
}
