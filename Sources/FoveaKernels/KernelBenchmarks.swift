/// Timings of Fovea's compute kernels on the shapes that matter for CNN training, for
/// `fovea bench kernels` and the peer comparison in `tools/bench/kernels_peer.py`.
///
/// Each case is timed after a warm-up run (first-touch page faults and packing buffers are paid
/// there), as the median of `repeats` runs. FLOPs count a multiply-add as two; a convolution's
/// forward+backward counts three products (forward, input gradient, weight gradient).
public enum KernelBenchmarks {
    /// One measurement.
    public struct Result: Sendable {
        /// A stable name shared with the peer script, e.g. `sgemm n=1024` or `conv3x3 64→64 56x56 b32 fwd+bwd`.
        public var name: String
        /// Median seconds per run.
        public var seconds: Double
        /// `flops / seconds / 1e9`.
        public var gflops: Double
    }

    /// The three convolution entry points a benchmark layer calls. Replace them to time another
    /// implementation of the same contract (for example a dedicated depthwise kernel).
    public struct ConvKernels: Sendable {
        public var forward: @Sendable (Conv2dGeometry, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?,
                                       UnsafeMutablePointer<Float>) -> Void
        public var backwardInput: @Sendable (Conv2dGeometry, UnsafePointer<Float>, UnsafePointer<Float>,
                                             UnsafeMutablePointer<Float>) -> Void
        public var backwardWeight: @Sendable (Conv2dGeometry, UnsafePointer<Float>, UnsafePointer<Float>,
                                              UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Void

        public init(forward: @escaping @Sendable (Conv2dGeometry, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?,
                                                  UnsafeMutablePointer<Float>) -> Void,
                    backwardInput: @escaping @Sendable (Conv2dGeometry, UnsafePointer<Float>, UnsafePointer<Float>,
                                                        UnsafeMutablePointer<Float>) -> Void,
                    backwardWeight: @escaping @Sendable (Conv2dGeometry, UnsafePointer<Float>, UnsafePointer<Float>,
                                                         UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) -> Void) {
            self.forward = forward; self.backwardInput = backwardInput; self.backwardWeight = backwardWeight
        }

        /// The kernels Fovea uses (`Convolution`: depthwise or im2col + SGEMM by shape).
        public static let general = ConvKernels(
            forward: { Convolution.forward($0, input: $1, weight: $2, bias: $3, output: $4) },
            backwardInput: { Convolution.backwardInput($0, gradOutput: $1, weight: $2, gradInput: $3) },
            backwardWeight: { Convolution.backwardWeight($0, input: $1, gradOutput: $2, gradWeight: $3, gradBias: $4) })
    }

    /// A benchmarked convolution layer: a name, its sizes and the kernels that run it.
    public struct ConvLayer: Sendable {
        public var name: String
        public var geometry: Conv2dGeometry
        public var kernels: ConvKernels
        public init(name: String, geometry: Conv2dGeometry, kernels: ConvKernels) {
            self.name = name; self.geometry = geometry; self.kernels = kernels
        }
    }

    /// SGEMM sizes (square n × n × n).
    public static let gemmSizes = [256, 512, 1024, 2048]

    /// The convolution layers, with the kernels that currently serve each (depthwise ones: `depthwise`).
    public static func convLayers(depthwise: ConvKernels = .general) -> [ConvLayer] {
        [
            ConvLayer(name: "conv3x3 64→64 56x56 b32", geometry: Conv2dGeometry(
                batch: 32, inChannels: 64, inHeight: 56, inWidth: 56, outChannels: 64, kernelHeight: 3, kernelWidth: 3,
                padH: 1, padW: 1), kernels: .general),
            ConvLayer(name: "conv3x3 16→16 32x32 b128", geometry: Conv2dGeometry(
                batch: 128, inChannels: 16, inHeight: 32, inWidth: 32, outChannels: 16, kernelHeight: 3, kernelWidth: 3,
                padH: 1, padW: 1), kernels: .general),
            ConvLayer(name: "depthwise3x3 96 56x56 b8", geometry: Conv2dGeometry(
                batch: 8, inChannels: 96, inHeight: 56, inWidth: 56, outChannels: 96, kernelHeight: 3, kernelWidth: 3,
                padH: 1, padW: 1, groups: 96), kernels: depthwise),
            ConvLayer(name: "depthwise7x7 96 56x56 b8", geometry: Conv2dGeometry(
                batch: 8, inChannels: 96, inHeight: 56, inWidth: 56, outChannels: 96, kernelHeight: 7, kernelWidth: 7,
                padH: 3, padW: 3, groups: 96), kernels: depthwise),
        ]
    }

    /// Runs every benchmark whose name contains `filter` (all when empty), calling `report` after each.
    @discardableResult
    public static func runAll(repeats: Int = 7, filter: String = "", depthwise: ConvKernels = .general,
                              report: (Result) -> Void = { _ in }) -> [Result] {
        var results: [Result] = []
        func keep(_ r: Result) { results.append(r); report(r) }
        for n in gemmSizes where matches("sgemm n=\(n)", filter) {
            keep(timeSGEMM(n: n, repeats: repeats))
        }
        for layer in convLayers(depthwise: depthwise) {
            for backward in [false, true] {
                let name = layer.name + (backward ? " fwd+bwd" : " fwd")
                if matches(name, filter) { keep(timeConv(layer, name: name, backward: backward, repeats: repeats)) }
            }
        }
        return results
    }

    static func matches(_ name: String, _ filter: String) -> Bool { filter.isEmpty || name.contains(filter) }

    /// Times `C = A·B` for n × n matrices on all cores.
    public static func timeSGEMM(n: Int, repeats: Int) -> Result {
        let a = filledBuffer(n * n, seed: 1), b = filledBuffer(n * n, seed: 2), c = filledBuffer(n * n, seed: 3)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let seconds = medianSeconds(repeats: repeats) {
            GEMM.sgemm(transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: b, ldb: n,
                       beta: 0, c: c, ldc: n)
        }
        let flops = 2 * Double(n) * Double(n) * Double(n)
        return Result(name: "sgemm n=\(n)", seconds: seconds, gflops: flops / seconds / 1e9)
    }

    /// Times one convolution layer's forward, or forward + input gradient + weight and bias gradients.
    public static func timeConv(_ layer: ConvLayer, name: String, backward: Bool, repeats: Int) -> Result {
        let g = layer.geometry, k = layer.kernels
        let x = filledBuffer(g.inputCount, seed: 4), w = filledBuffer(g.weightCount, seed: 5)
        let bias = filledBuffer(g.outChannels, seed: 6), y = filledBuffer(g.outputCount, seed: 7)
        let dy = filledBuffer(g.outputCount, seed: 8), dx = filledBuffer(g.inputCount, seed: 9)
        let dw = filledBuffer(g.weightCount, seed: 10), db = filledBuffer(g.outChannels, seed: 11)
        defer { for p in [x, w, bias, y, dy, dx, dw, db] { p.deallocate() } }
        let seconds = medianSeconds(repeats: repeats) {
            k.forward(g, x, w, bias, y)
            if backward {
                k.backwardInput(g, dy, w, dx)
                k.backwardWeight(g, x, dy, dw, db)
            }
        }
        let flops = 2 * Double(g.macs) * (backward ? 3 : 1)
        return Result(name: name, seconds: seconds, gflops: flops / seconds / 1e9)
    }

    /// Median wall time of `repeats` runs after one warm-up run.
    static func medianSeconds(repeats: Int, _ body: () -> Void) -> Double {
        body()
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<max(1, repeats) {
            let d = clock.measure(body)
            times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// A buffer of deterministic values in [−1, 1) (a cheap LCG; only the magnitudes matter here).
    static func filledBuffer(_ count: Int, seed: UInt64) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        var s = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for i in 0..<count {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            p[i] = Float(Int32(truncatingIfNeeded: s >> 32)) / Float(Int32.max)
        }
        return p
    }
}
