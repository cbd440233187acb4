import ArgumentParser
import Fovea

extension Bench {
    /// `fovea bench model`: inference latency and memory of a model.
    struct Model: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time inference (eval mode, no gradients) of a model on random data; report peak memory.")

        @Option(help: "Model name (see `fovea models`).") var model = "resnet18"
        @Option(help: "Images per batch; comma-separated for several.") var batch = "1"
        @Option(help: "Input C x H x W.") var input = "3x224x224"
        @Option(help: "Timed passes (the median is reported, after 2 warm-up passes).") var repeats = 10
        @Option(help: "Output classes.") var classes = 1000
        @Flag(help: "Print one JSON object per line.") var json = false

        func run() throws {
            let shape = try parseInputShape(input)
            let batches = batch.split(separator: ",").compactMap { Int($0) }
            guard !batches.isEmpty, batches.allSatisfy({ $0 > 0 }) else { throw ValidationError("--batch must list positive sizes, like 1,16") }
            guard ModelRegistry.names.contains(model) else { throw ValidationError("unknown model '\(model)'; `fovea models` lists them") }
            for b in batches {
                let r = try InferenceBenchmark.measure(model: model, input: shape, batch: b, classes: classes, repeats: repeats)
                // After the timed passes, so that the capture's retained activations do not count.
                var rng = RandomGenerator(seed: 0)
                let summary = try ModelSummary(model: ModelRegistry.make(model, options: ModelOptions(classes: classes, inputChannels: shape[0]), using: &rng),
                                               input: [b] + shape)
                let largestTwo = summary.activationSizes.prefix(2).reduce(0, +)
                if json {
                    print("{\"name\": \"\(model) b\(b)\", \"median_ms\": \(r.medianSeconds * 1000), \"min_ms\": \(r.minimumSeconds * 1000), "
                          + "\"weight_bytes\": \(r.weightBytes), \"rss_before_bytes\": \(r.residentBeforeBytes ?? -1), "
                          + "\"build_peak_rss_bytes\": \(r.buildPeakResidentBytes ?? -1), \"peak_rss_bytes\": \(r.peakResidentBytes ?? -1), "
                          + "\"largest_two_activation_bytes\": \(largestTwo), \"macs\": \(summary.multiplyAccumulates)}")
                } else {
                    let mib = { (n: Int?) in n.map { fmt(Double($0) / 1048576, 1) + " MiB" } ?? "n/a" }
                    let budget = 2 * r.weightBytes + largestTwo
                    print("\(model), batch \(b), input \(input): median \(fmt(r.medianSeconds * 1000, 2)) ms (min \(fmt(r.minimumSeconds * 1000, 2)) ms, "
                          + "\(fmt(Double(b) / r.medianSeconds, 1)) images/s, \(fmt(2 * Double(summary.multiplyAccumulates) / r.medianSeconds / 1e9, 1)) GFLOP/s)")
                    print("  weights \(mib(r.weightBytes)); resident after building \(mib(r.residentBeforeBytes)), peak while building \(mib(r.buildPeakResidentBytes)); "
                          + "peak during inference \(mib(r.peakResidentBytes))")
                    print("  2 x weights + largest two activations = \(mib(budget)): peak is \(r.peakResidentBytes.map { $0 <= budget ? "under" : "OVER" } ?? "unknown")")
                }
            }
        }
    }
}
