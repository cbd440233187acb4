import FoveaModels
import FoveaTensor

/// Times inference (evaluation mode, no gradients) of a registry model on random data: the
/// latency compared with PyTorch and ONNX Runtime by `tools/bench/models_peer.py`.
public enum InferenceBenchmark {
    /// What one measurement found.
    public struct Result: Sendable {
        public var model: String
        public var batch: Int
        /// Median seconds per forward pass of the whole batch, after warm-up.
        public var medianSeconds: Double
        /// Fastest forward pass.
        public var minimumSeconds: Double
        /// Parameters (and buffers) as Float32, in bytes.
        public var weightBytes: Int
        /// Resident memory after building the model, before the first pass (nil off Linux).
        public var residentBeforeBytes: Int?
        /// Peak resident memory while building the model (`VmHWM` before the first pass; nil off Linux).
        public var buildPeakResidentBytes: Int?
        /// Peak resident memory during the passes: `VmHWM` restarted after building (falls back to
        /// the whole process's peak where the kernel does not allow the restart; nil off Linux).
        public var peakResidentBytes: Int?
    }

    /// Builds `name` with seeded random weights for `classes` classes and times `repeats` forward
    /// passes of a `(batch, C, H, W)` random input after `warmup` untimed ones.
    public static func measure(model name: String, input: [Int], batch: Int, classes: Int = 1000,
                               repeats: Int = 10, warmup: Int = 2) throws -> Result {
        guard input.count == 3, batch > 0, repeats > 0 else {
            throw ConfigurationError(owner: "bench", "input must be C x H x W and batch, repeats positive (got \(input), \(batch), \(repeats))")
        }
        var rng = RandomGenerator(seed: 0)
        let model = try ModelRegistry.make(name, classes: classes, inputChannels: input[0], using: &rng)
        model.eval()
        let x = Variable(Tensor.normal([batch] + input, using: &rng))
        let weightBytes = model.stateDict().reduce(0) { $0 + $1.tensor.count } * MemoryLayout<Float>.size
        let before = ProcessMemory.residentBytes, buildPeak = ProcessMemory.peakResidentBytes
        ProcessMemory.resetPeak()
        var times: [Double] = []
        try GradMode.withoutGradients {
            for _ in 0..<warmup { _ = try model(x) }
            for _ in 0..<repeats {
                let start = now()
                _ = try model(x)
                times.append(now() - start)
            }
        }
        times.sort()
        return Result(model: name, batch: batch, medianSeconds: times[times.count / 2], minimumSeconds: times[0],
                      weightBytes: weightBytes, residentBeforeBytes: before,
                      buildPeakResidentBytes: buildPeak, peakResidentBytes: ProcessMemory.peakResidentBytes)
    }
}
