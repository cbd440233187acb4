import ArgumentParser
import Fovea
import FoveaKernels

/// `fovea bench …`: performance measurements.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Fovea's performance.",
        subcommands: [Kernels.self])

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
}
