import Foundation
import XCTest
import FoveaTestSupport
import FoveaKernels
import FoveaTensor

/// Every kernel path this CPU can run, chosen through `KernelOptions`, against the naive twins — so
/// one test run covers the paths another CPU would pick by default — and checks that each option
/// really reaches the kernels.
final class KernelPathTests: XCTestCase {
    /// Thread counts: 1 (single-threaded GEMM over panels packed from the image), 2 and 3 (threads split
    /// the batch, or, for one image, a threaded GEMM over an im2col matrix or split direct tiles).
    static let threadCounts = [1, 2, 3]

    private func random(_ count: Int, _ rng: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in Float.random(in: -1...1, using: &rng) }
    }

    /// Conv2d's forward, input gradient and weight gradient under `options`.
    private func conv(_ g: Conv2dGeometry, _ options: KernelOptions, _ x: [Float], _ w: [Float], _ b: [Float], _ dy: [Float])
        -> (y: [Float], dx: [Float], dw: [Float], db: [Float]) {
        KernelOptions.withOptions(options) {
            var y = [Float](repeating: .nan, count: g.outputCount)
            Conv2d.forward(g, input: x, weight: w, bias: b, output: &y)
            var dx = [Float](repeating: .nan, count: g.inputCount)
            Conv2d.backwardInput(g, gradOutput: dy, weight: w, gradInput: &dx)
            var dw = [Float](repeating: .nan, count: g.weightCount), db = [Float](repeating: .nan, count: g.outChannels)
            Conv2d.backwardWeight(g, input: x, gradOutput: dy, gradWeight: &dw, gradBias: &db)
            return (y, dx, dw, db)
        }
    }

    /// Every micro-kernel × convolution path × thread count on the convolution geometries (stride,
    /// padding, dilation, groups, 1×1, ragged tiles, batch 1 and odd batches).
    func testEveryConvolutionPathMatchesReference() {
        var rng = RandomGenerator(seed: 60)
        for g in Conv2dTests.geometries {
            let x = random(g.inputCount, &rng), w = random(g.weightCount, &rng), b = random(g.outChannels, &rng)
            let dy = random(g.outputCount, &rng)
            let k = Double(g.inChannelsPerGroup * g.kernelHeight * g.kernelWidth)
            let reductions = Double(g.batch * g.outHeight * g.outWidth)
            let y = Conv2dReference.forward(g, input: x, weight: w, bias: b)
            let expected = Conv2dReference.backward(g, input: x, weight: w, gradOutput: dy)
            for kernel in GEMM.MicroKernel.available {
                for path in ConvolutionPath.available {
                    for threads in Self.threadCounts {
                        let options = KernelOptions(threads: threads, microKernel: kernel, convolutionPath: path)
                        let r = conv(g, options, x, w, b, dy)
                        let label = "\(options) \(g)"
                        assertClose(r.y, y, rtol: 1e-4, atol: 1e-5 * k, "forward \(label)")
                        assertClose(r.dx, expected.input, rtol: 1e-4, atol: 1e-4 * Double(g.outChannels), "backwardInput \(label)")
                        assertClose(r.dw, expected.weight, rtol: 1e-4, atol: 1e-5 * reductions, "backwardWeight \(label)")
                        assertClose(r.db, expected.bias, rtol: 1e-4, atol: 1e-5 * reductions, "backwardBias \(label)")
                    }
                }
            }
        }
    }

    /// The path option reaches Conv2d: GEMM blocking changes the packed path's summation order
    /// (K cut into 8-tap panels) and so its bits, but never the direct kernels', which use no GEMM.
    func testConvolutionPathIsHonoured() throws {
        guard ConvolutionPath.direct.isSupported else { throw XCTSkip("the direct kernels need AVX-512F") }
        var rng = RandomGenerator(seed: 61)
        let g = Conv2dGeometry(batch: 2, inChannels: 32, inHeight: 14, inWidth: 14, outChannels: 40,
                               kernelHeight: 3, kernelWidth: 3, padH: 1, padW: 1)
        let x = random(g.inputCount, &rng), w = random(g.weightCount, &rng), b = random(g.outChannels, &rng)
        let dy = random(g.outputCount, &rng)
        let small = GEMM.Blocking(kc: 8, nc: 32, mc: 24)
        for threads in [1, 2] {
            let packed = KernelOptions(threads: threads, convolutionPath: .packedGEMM)
            var packedSmall = packed
            packedSmall.gemmBlocking = small
            XCTAssertTrue(conv(g, packed, x, w, b, dy).y != conv(g, packedSmall, x, w, b, dy).y,
                          "blocking does not change the packed GEMM's bits: is it running? threads \(threads)")
        }
        // Batch 2 on 2 threads: the direct forward and (≤ 16 output channels) weight gradient.
        let fewChannels = Conv2dGeometry(batch: 2, inChannels: 6, inHeight: 14, inWidth: 14, outChannels: 16,
                                         kernelHeight: 5, kernelWidth: 5)
        let fx = random(fewChannels.inputCount, &rng), fw = random(fewChannels.weightCount, &rng)
        let fb = random(fewChannels.outChannels, &rng), fdy = random(fewChannels.outputCount, &rng)
        let direct = KernelOptions(threads: 2, convolutionPath: .direct)
        var directSmall = direct
        directSmall.gemmBlocking = small
        let a = conv(fewChannels, direct, fx, fw, fb, fdy), c = conv(fewChannels, directSmall, fx, fw, fb, fdy)
        XCTAssertTrue(a.y == c.y && a.dx == c.dx && a.dw == c.dw, "GEMM blocking changes the direct path's bits")
    }

    /// Every depthwise build × thread count on named geometries (every column-strip shape, stride 2,
    /// dilation, 7×7) and random ones (strides 1–3, padding beyond the kernel, widths with tails).
    func testEveryDepthwisePathMatchesReference() {
        typealias Ref = DepthwiseConv2dReference<Double>
        var rng = RandomGenerator(seed: 62)
        let tests = DepthwiseConv2dTests.self
        for g in tests.named + tests.geometries(40, &rng) {
            let x = random(g.inputCount, &rng), w = random(g.weightCount, &rng)
            let b = random(g.outChannels, &rng), dy = random(g.outputCount, &rng)
            let y = Ref.forward(g, input: x.doubles, weight: w.doubles, bias: b.doubles).floats
            let dx = Ref.backwardInput(g, gradOutput: dy.doubles, weight: w.doubles).floats
            let (dw, db) = Ref.backwardWeight(g, input: x.doubles, gradOutput: dy.doubles)
            for path in DepthwisePath.available {
                for threads in [1, 2] {
                    let options = KernelOptions(threads: threads, depthwisePath: path)
                    let r = KernelOptions.withOptions(options) { tests.run(g, x, w, b, dy) }
                    assertClose(r.y, y, rtol: 1e-5, atol: 1e-5, "forward \(options) \(g)")
                    assertClose(r.dx, dx, rtol: 1e-5, atol: 1e-5, "backwardInput \(options) \(g)")
                    assertClose(r.dw, dw.floats, rtol: 1e-4, atol: 1e-4, "backwardWeight \(options) \(g)")
                    assertClose(r.db, db.floats, rtol: 1e-5, atol: 1e-5, "backwardBias \(options) \(g)")
                }
            }
        }
    }

    /// The depthwise path reaches the C code: the AVX2 build fuses multiply-adds and the portable one
    /// does not, so their bits differ.
    func testDepthwisePathIsHonoured() throws {
        guard DepthwisePath.avx2FMA.isSupported else { throw XCTSkip("the vector build needs AVX2 and FMA") }
        var rng = RandomGenerator(seed: 63)
        let g = Conv2dGeometry(batch: 2, inChannels: 8, inHeight: 20, inWidth: 27, outChannels: 8, kernelHeight: 3,
                               kernelWidth: 3, padH: 1, padW: 1, groups: 8)
        let x = random(g.inputCount, &rng), w = random(g.weightCount, &rng), dy = random(g.outputCount, &rng)
        let tests = DepthwiseConv2dTests.self
        let vector = KernelOptions.withOptions(KernelOptions(depthwisePath: .avx2FMA)) { tests.run(g, x, w, nil, dy) }
        let portable = KernelOptions.withOptions(KernelOptions(depthwisePath: .portable)) { tests.run(g, x, w, nil, dy) }
        let automatic = tests.run(g, x, w, nil, dy)
        XCTAssertTrue(vector.y != portable.y && vector.dw != portable.dw, "both paths ran the same build")
        XCTAssertTrue(automatic.y == vector.y && automatic.dw == vector.dw, "the default is not the vector build")
    }

    /// `sgemm` without explicit arguments takes kernel, threads and blocking from the scope; small
    /// blocking splits K, M and N into many panels and blocks.
    func testGEMMUsesScopedOptions() {
        var rng = RandomGenerator(seed: 64)
        let (m, n, k) = (37, 70, 45)
        let a = random(m * k, &rng), b = random(k * n, &rng)
        var expected = [Float](repeating: 0, count: m * n)
        GEMM.sgemmReference(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
                            beta: 0, c: &expected, ldc: n)
        for kernel in GEMM.MicroKernel.available {
            for blocking in [GEMM.Blocking.standard, GEMM.Blocking(kc: 7, nc: 1, mc: 5)] {
                let options = KernelOptions(threads: 2, microKernel: kernel, gemmBlocking: blocking)
                var c = [Float](repeating: .nan, count: m * n)
                KernelOptions.withOptions(options) {
                    XCTAssertEqual(GEMM.MicroKernel.best, kernel)
                    GEMM.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
                               beta: 0, c: &c, ldc: n)
                }
                assertClose(c, expected, rtol: 1e-4, atol: 1e-4, "\(options)")
            }
        }
    }

    /// The defaults are the automatic choices; scopes nest and restore; the process default applies
    /// outside scopes, on every thread.
    func testScopesAndDefaults() {
        XCTAssertEqual(KernelOptions.current, .automatic)
        XCTAssertEqual(KernelOptions.automatic.microKernel, GEMM.MicroKernel.fastestAvailable)
        XCTAssertEqual(KernelOptions.automatic.threads, KernelOptions.defaultThreadCount)
        XCTAssertEqual(KernelOptions.automatic.gemmBlocking, .standard)
        XCTAssertNil(KernelOptions.automatic.unsupportedReason)
        KernelOptions.withOptions(KernelOptions(threads: 3)) {
            XCTAssertEqual(Parallel.threadCount, 3)
            KernelOptions.withOptions(KernelOptions(threads: 1, microKernel: .portable6x16)) {
                XCTAssertEqual(Parallel.threadCount, 1)
                XCTAssertEqual(GEMM.MicroKernel.best, .portable6x16)
            }
            XCTAssertEqual(Parallel.threadCount, 3)
            XCTAssertEqual(GEMM.MicroKernel.best, .fastestAvailable)
        }
        XCTAssertEqual(KernelOptions.current, .automatic)

        let saved = KernelOptions.processDefault
        defer { KernelOptions.processDefault = saved }
        KernelOptions.processDefault = KernelOptions(threads: 5)
        XCTAssertEqual(Parallel.threadCount, 5)
        let seen = ThreadCountBox(), done = DispatchSemaphore(value: 0)
        Thread { seen.value = Parallel.threadCount; done.signal() }.start()
        done.wait()
        XCTAssertEqual(seen.value, 5)
        KernelOptions.withOptions(KernelOptions(threads: 2)) { XCTAssertEqual(Parallel.threadCount, 2) }
    }

    func testUnsupportedOptionsAreNamed() {
        XCTAssertEqual(KernelOptions(threads: 0).unsupportedReason, "threads must be at least 1, found 0")
        for kernel in GEMM.MicroKernel.allCases where !kernel.isSupported {
            XCTAssertTrue(KernelOptions(microKernel: kernel).unsupportedReason?.contains(kernel.rawValue) == true)
        }
        XCTAssertEqual(KernelOptions(convolutionPath: .direct).unsupportedReason == nil, ConvolutionPath.direct.isSupported)
        XCTAssertEqual(KernelOptions(depthwisePath: .avx2FMA).unsupportedReason == nil, DepthwisePath.avx2FMA.isSupported)
    }
}

/// A value written by another thread before it signals (the semaphore orders the accesses).
private final class ThreadCountBox: @unchecked Sendable {
    var value = 0
}
