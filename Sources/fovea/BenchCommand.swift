import ArgumentParser
import Fovea
import FoveaKernels

/// `fovea bench …`: performance measurements.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Fovea's performance.",
        subcommands: [Kernels.self, Training.self, Model.self])

    /// `fovea bench kernels`: SGEMM and convolution kernel timings (see KernelBenchmarks).
    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time SGEMM and the convolution kernels on CNN-sized shapes (median of repeats).")

        @Flag(help: "Print one JSON object per line instead of a table.")
        var json = false

        @Option(help: "Timed runs per case (after one warm-up run).")
        var repeats = 7

        @Option(help: "Only run cases whose name contains this text.")
        var filter = ""

        func run() throws {
            if !json {
                print("threads: \(Parallel.threadCount), GEMM micro-kernel: \(GEMM.MicroKernel.best.rawValue)")
                print(pad("case", 36) + pad("ms", 10, right: true) + pad("GFLOP/s", 10, right: true))
            }
            KernelBenchmarks.runAll(repeats: repeats, filter: filter) { r in
                if json {
                    print("{\"name\": \"\(r.name)\", \"seconds\": \(r.seconds), \"gflops\": \(r.gflops)}")
                } else {
                    print(pad(r.name, 36) + pad(fixed(r.seconds * 1000, 2), 10, right: true)
                          + pad(fixed(r.gflops, 1), 10, right: true))
                }
            }
        }

        private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return right ? fill + s : s + fill
        }

        private func fixed(_ x: Double, _ digits: Int) -> String {
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            let v = (x * scale).rounded() / scale
            let whole = Int(v), frac = Int(((v - Double(whole)) * scale).rounded())
            let fracText = String(frac)
            return "\(whole)." + String(repeating: "0", count: max(0, digits - fracText.count)) + fracText
        }
    }

    /// `fovea bench train`: training throughput of a model in images per second.
    struct Training: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Time training steps (forward, loss, backward, SGD) of a model on random data.")

        @Option(help: "Model name.") var model = "lenet5"
        @Option(help: "Batch sizes, comma-separated.") var batch = "64,256"
        @Option(help: "Input C x H x W.") var input = "1x28x28"
        @Option(help: "Timed steps per repeat.") var steps = 20
        @Option(help: "Timed repeats (the median is reported).") var repeats = 3
        @Flag(help: "Print one JSON object per line.") var json = false

        func run() throws {
            let shape = input.split(separator: "x").compactMap { Int($0) }
            for b in batch.split(separator: ",").compactMap({ Int($0) }) {
                let rate = try TrainingBenchmark.imagesPerSecond(model: model, input: shape, batch: b, steps: steps, repeats: repeats)
                if json { print("{\"name\": \"\(model) train b\(b)\", \"images_per_second\": \(rate)}") }
                else { print("\(model) training, batch \(b): \(Int(rate)) images/s") }
            }
        }
    }
}
