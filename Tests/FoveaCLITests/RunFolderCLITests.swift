import XCTest
import FoveaTestSupport
import Foundation

/// `fovea train` and `fovea demo` against folders that already hold runs, and runs killed at
/// random moments: nothing finished is lost, and `--resume` ends as if never interrupted.
final class RunFolderCLITests: XCTestCase {
    let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/fashion-mnist").path

    func train(_ out: URL, _ extra: [String] = []) throws -> (status: Int32, output: String) {
        try run(["train", "--data", data, "--train-limit", "300", "--epochs", "1", "--out", out.path] + extra)
    }

    func testTrainingIntoAnExistingRunNeedsResumeOrOverwrite() throws {
        let out = try temporaryFolder().appendingPathComponent("x")
        var (status, output) = try train(out)
        XCTAssertEqual(status, 0, output)
        let weights = out.appendingPathComponent("checkpoints/last.safetensors")
        let before = try Data(contentsOf: weights)

        (status, output) = try train(out, ["--seed", "5"])
        XCTAssertNotEqual(status, 0)
        XCTAssertEqual(output, "Error: \(out.path): already holds a finished run (lenet5 on fashion-mnist, 1 epoch); pass --overwrite to replace it, or choose another --out\n")
        XCTAssertEqual(try Data(contentsOf: weights), before, "the refused run changed nothing")

        (status, output) = try train(out, ["--resume", "--lr", "0.1", "--seed", "5"])
        XCTAssertNotEqual(status, 0)
        XCTAssertEqual(output, "Error: \(out.path): --resume needs the same options as the saved run: --lr saved 0.05, given 0.1; --seed saved 0, given 5\n")
        (status, output) = try train(out, ["--resume", "--overwrite"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("--resume and --overwrite exclude each other"), output)

        (status, output) = try train(out, ["--overwrite", "--seed", "5"])
        XCTAssertEqual(status, 0, output)
        XCTAssertNotEqual(try Data(contentsOf: weights), before, "--overwrite replaced the run")
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("config.json"), encoding: .utf8).contains("\"seed\" : 5"))

        // A folder of other files is never trained into, not even with --overwrite.
        let foreign = try temporaryFolder()
        try Data("mine".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        (status, output) = try train(foreign, ["--overwrite"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("holds files that are not a Fovea run"), output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: foreign.path), ["notes.txt"])
    }

    func testDemoReplacesOnlyItsOwnFinishedRun() throws {
        let root = try temporaryFolder()
        let demo = root.appendingPathComponent("demo")
        let args = ["demo", "--data", data, "--epochs", "1", "--train-limit", "300", "--out", demo.path]
        var (status, output) = try run(args)
        XCTAssertEqual(status, 0, output)
        (status, output) = try run(args)
        XCTAssertEqual(status, 0, "a second demo works without flags: \(output)")
        XCTAssertTrue(output.contains("replacing the finished demo run in \(demo.path)"), output)

        // A demo run written before config.json recorded its command is recognised by its settings.
        let config = demo.appendingPathComponent("config.json")
        let legacy = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"command\" : \"demo\",", with: "")
        XCTAssertFalse(legacy.contains("command"), legacy)
        try Data(legacy.utf8).write(to: config)
        (status, output) = try run(args)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("replacing the finished demo run"), output)

        // A `fovea train` run is not the demo's to replace.
        let trained = root.appendingPathComponent("trained")
        XCTAssertEqual(try train(trained).status, 0)
        let before = try Data(contentsOf: trained.appendingPathComponent("checkpoints/last.safetensors"))
        (status, output) = try run(["demo", "--data", data, "--epochs", "1", "--train-limit", "300", "--out", trained.path])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(output.contains("not a finished `fovea demo` run; pass --overwrite to replace it"), output)
        XCTAssertEqual(try Data(contentsOf: trained.appendingPathComponent("checkpoints/last.safetensors")), before)
    }

    /// SIGKILLs training at seeded random moments, resumes each time, and compares with an
    /// uninterrupted run: the same checkpoint bytes, every epoch's metrics once, the same health records.
    func testKilledTrainingResumesBitIdentical() throws {
        let root = try temporaryFolder()
        let options = ["train", "--data", data, "--train-limit", "1000", "--epochs", "4", "--health-every", "5"]
        let reference = root.appendingPathComponent("reference")
        let start = Date()
        let (status, output) = try run(options + ["--out", reference.path])
        XCTAssertEqual(status, 0, output)
        let duration = Date().timeIntervalSince(start)

        let out = root.appendingPathComponent("killed")
        // Killed once its first epoch is done: a stopped run can be evaluated and diagnosed.
        XCTAssertTrue(try runKilled(options + ["--out", out.path], whenOutputContains: "epoch 1/4:"))
        let eval = try run(["eval", out.path, "--data", data])
        XCTAssertEqual(eval.status, 0, eval.output)
        XCTAssertTrue(eval.output.contains("epoch 1)"), eval.output)
        let diagnose = try run(["diagnose", out.path])
        XCTAssertEqual(diagnose.status, 0, diagnose.output)
        XCTAssertTrue(diagnose.output.contains("training health at step 15"), diagnose.output)

        // Then at seeded random moments, resuming each time.
        var rng = SplitMix(seed: 9)
        var kills = 0
        for _ in 0..<4 {
            let delay = 0.15 + Double(rng.next() % 1000) / 1000 * duration * 0.8
            if try runKilled(options + ["--out", out.path, "--resume"], after: delay) { kills += 1 }
        }
        XCTAssertGreaterThan(kills, 1, "the kills landed while training ran")
        let resumed = try run(options + ["--out", out.path, "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.output)

        for file in ["checkpoints/last.safetensors", "checkpoints/best.safetensors", "checkpoints/last.optimizer.safetensors"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(file)), try Data(contentsOf: reference.appendingPathComponent(file)),
                           "\(file) is bit-identical to the uninterrupted run's")
        }
        func lines(_ folder: URL, _ name: String) throws -> [[String: Any]] {
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map {
                var object = try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
                object["seconds"] = nil
                object["imagesPerSecond"] = nil
                return object
            }
        }
        let metrics = try lines(out, "metrics.jsonl")
        XCTAssertEqual(metrics.map { $0["epoch"] as? Int }, [0, 1, 2, 3], "each epoch once")
        XCTAssertEqual(metrics as NSArray, try lines(reference, "metrics.jsonl") as NSArray)
        let health = try lines(out, "health.jsonl")
        XCTAssertEqual(health as NSArray, try lines(reference, "health.jsonl") as NSArray, "health records from before the kills are kept, once")
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n").count, 5)
        for folder in [out, out.appendingPathComponent("checkpoints")] {
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
            XCTAssertEqual(leftovers, [], "no temporary files of the killed runs remain")
        }
    }
}

/// A small seeded generator for the kill times.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
