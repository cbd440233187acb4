import XCTest
import FoveaKernels
import FoveaTensor
import FoveaTestSupport

final class PoolingTests: XCTestCase {
    typealias Ref = PoolingReference<Double>

    /// Random valid geometries, with odd sizes, strides above 1 and padding up to half the kernel.
    func geometries(_ count: Int, _ rng: inout RandomGenerator) -> [Pool2dGeometry] {
        var result = [Pool2dGeometry]()
        while result.count < count {
            let kh = Int(rng.next() % 4) + 1, kw = Int(rng.next() % 4) + 1
            let g = Pool2dGeometry(batch: Int(rng.next() % 2) + 1, channels: Int(rng.next() % 3) + 1,
                                   inHeight: Int(rng.next() % 9) + 1, inWidth: Int(rng.next() % 9) + 1,
                                   kernelHeight: kh, kernelWidth: kw,
                                   strideH: Int(rng.next() % 3) + 1, strideW: Int(rng.next() % 3) + 1,
                                   padH: Int(rng.next() % UInt64(kh / 2 + 1)), padW: Int(rng.next() % UInt64(kw / 2 + 1)))
            if g.isValid { result.append(g) }
        }
        return result
    }

    func testMaxPoolMatchesReference() {
        var rng = RandomGenerator(seed: 20)
        // Wide planes exercise the vector paths: 8 outputs per step, and the 2x2 stride-2 fast path
        // (with an overlapping last block when W/2 is not a multiple of 8).
        let wide = [Pool2dGeometry(batch: 2, channels: 3, inHeight: 56, inWidth: 56, kernelHeight: 3, kernelWidth: 3,
                                   strideH: 2, strideW: 2, padH: 1, padW: 1),
                    Pool2dGeometry(batch: 2, channels: 3, inHeight: 28, inWidth: 28, kernelHeight: 2, kernelWidth: 2, strideH: 2, strideW: 2),
                    Pool2dGeometry(batch: 1, channels: 2, inHeight: 17, inWidth: 37, kernelHeight: 2, kernelWidth: 2, strideH: 2, strideW: 2),
                    // The narrow 2x2 path (4 outputs per step): LeNet's 10x10, and 15 wide (overlapping last block).
                    Pool2dGeometry(batch: 2, channels: 3, inHeight: 10, inWidth: 10, kernelHeight: 2, kernelWidth: 2, strideH: 2, strideW: 2),
                    Pool2dGeometry(batch: 1, channels: 2, inHeight: 7, inWidth: 15, kernelHeight: 2, kernelWidth: 2, strideH: 2, strideW: 2),
                    Pool2dGeometry(batch: 1, channels: 2, inHeight: 12, inWidth: 21, kernelHeight: 3, kernelWidth: 2, strideH: 1, strideW: 1, padH: 1, padW: 1)]
        for g in geometries(40, &rng) + wide {
            // Values on a coarse grid so ties happen and the first-maximum rule is exercised.
            let x = GradCheck.uniform(g.inputCount, using: &rng).map { ($0 * 4).rounded() }.floats
            let dy = GradCheck.uniform(g.outputCount, using: &rng).floats
            var idx = [Int32](repeating: -1, count: g.outputCount)
            let y = Buffers.make(g.outputCount) { o in Buffers.read(x) { xp in idx.withUnsafeMutableBufferPointer {
                MaxPool2d.forward(g, input: xp, output: o, indices: $0.baseAddress!) } } }
            let (ry, rIdx) = Ref.maxForward(g, x.doubles)
            XCTAssertEqual(y.doubles, ry, "\(g)")
            XCTAssertEqual(idx.map(Int.init), rIdx, "\(g)")
            let dx = Buffers.make(g.inputCount) { o in Buffers.read(dy) { dp in idx.withUnsafeBufferPointer {
                MaxPool2d.backward(g, gradOutput: dp, indices: $0.baseAddress!, gradInput: o) } } }
            assertClose(dx, Ref.maxBackward(g, indices: rIdx, gradOutput: dy.doubles).floats, "\(g)")
        }
    }

    func testMaxPoolNaNPropagates() {
        /// One 2 × width plane of ones with a NaN at `nan`: output `output` must be NaN with index `nan`,
        /// and ties elsewhere keep the first maximum (output 1's index is its window's first tap, 2).
        func check(width: Int, nan: Int, output: Int, _ path: String) {
            let g = Pool2dGeometry(batch: 1, channels: 1, inHeight: 2, inWidth: width, kernelHeight: 2, kernelWidth: 2, strideH: 2, strideW: 2)
            var x = [Float](repeating: 1, count: 2 * width)
            x[nan] = .nan
            var idx = [Int32](repeating: -1, count: width / 2)
            let y = Buffers.make(width / 2) { o in Buffers.read(x) { xp in idx.withUnsafeMutableBufferPointer {
                MaxPool2d.forward(g, input: xp, output: o, indices: $0.baseAddress!) } } }
            XCTAssertTrue(y[output].isNaN, path)
            XCTAssertEqual(idx[output], Int32(nan), path)
            if width >= 4 { XCTAssertEqual(idx[1], 2, "ties keep the first maximum (\(path))") }
        }
        check(width: 2, nan: 1, output: 0, "general path")
        check(width: 16, nan: 16 + 7, output: 3, "2x2 fast path, last tap")
        check(width: 10, nan: 9, output: 4, "narrow 2x2 path, second tap")
    }

    func testAvgPoolMatchesReference() {
        var rng = RandomGenerator(seed: 21)
        for g in geometries(40, &rng) {
            for includePad in [false, true] {
                let x = GradCheck.uniform(g.inputCount, using: &rng).floats, dy = GradCheck.uniform(g.outputCount, using: &rng).floats
                let y = Buffers.make(g.outputCount) { o in Buffers.read(x) { AvgPool2d.forward(g, countIncludePad: includePad, input: $0, output: o) } }
                assertClose(y, Ref.avgForward(g, countIncludePad: includePad, x.doubles).floats, "\(g)")
                let dx = Buffers.make(g.inputCount) { o in Buffers.read(dy) {
                    AvgPool2d.backward(g, countIncludePad: includePad, gradOutput: $0, gradInput: o) } }
                assertClose(dx, Ref.avgBackward(g, countIncludePad: includePad, gradOutput: dy.doubles).floats, "\(g)")
            }
        }
    }

    /// PyTorch: avg_pool2d(ones(1,1,3,3), 3, stride 2, padding 1) → [[4/9, 4/9], [4/9, 4/9]] with
    /// count_include_pad, all ones without; window clipped to H + pad gives divisor 9 here.
    func testAvgPoolDivisorRule() {
        let g = Pool2dGeometry(batch: 1, channels: 1, inHeight: 3, inWidth: 3, kernelHeight: 3, kernelWidth: 3,
                               strideH: 2, strideW: 2, padH: 1, padW: 1)
        let x = [Float](repeating: 1, count: 9)
        let a = Buffers.make(4) { o in Buffers.read(x) { AvgPool2d.forward(g, countIncludePad: true, input: $0, output: o) } }
        let b = Buffers.make(4) { o in Buffers.read(x) { AvgPool2d.forward(g, countIncludePad: false, input: $0, output: o) } }
        assertClose(a, [Float](repeating: 4.0 / 9, count: 4))
        assertClose(b, [Float](repeating: 1, count: 4))
    }

    func testAdaptiveAvgPoolMatchesReference() {
        var rng = RandomGenerator(seed: 22)
        for (h, w, oh, ow) in [(7, 7, 1, 1), (5, 9, 3, 4), (4, 4, 4, 4), (3, 2, 5, 7), (13, 11, 6, 6)] {
            let n = 2, c = 3
            let x = GradCheck.uniform(n * c * h * w, using: &rng).floats, dy = GradCheck.uniform(n * c * oh * ow, using: &rng).floats
            let y = Buffers.make(n * c * oh * ow) { o in Buffers.read(x) {
                AdaptiveAvgPool2d.forward(batch: n, channels: c, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, input: $0, output: o) } }
            assertClose(y, Ref.adaptiveAvgForward(batch: n, channels: c, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, x.doubles).floats)
            let dx = Buffers.make(n * c * h * w) { o in Buffers.read(dy) {
                AdaptiveAvgPool2d.backward(batch: n, channels: c, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, gradOutput: $0, gradInput: o) } }
            assertClose(dx, Ref.adaptiveAvgBackward(batch: n, channels: c, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow,
                                                    gradOutput: dy.doubles).floats)
        }
    }

    func testReferenceGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 23)
        for g in geometries(6, &rng) {
            // Distinct values so the argmax is stable under the ±1e-6 probes.
            let x = (0..<g.inputCount).map { Double($0) * 0.01 }.shuffled(using: &rng)
            let r = GradCheck.uniform(g.outputCount, using: &rng)
            let (_, idx) = Ref.maxForward(g, x)
            GradCheck.assertGradient(at: x, weights: r, analytic: Ref.maxBackward(g, indices: idx, gradOutput: r), "max \(g)") {
                Ref.maxForward(g, $0).output }
            for includePad in [false, true] {
                GradCheck.assertGradient(at: x, weights: r, analytic: Ref.avgBackward(g, countIncludePad: includePad, gradOutput: r),
                                         "avg \(g)") { Ref.avgForward(g, countIncludePad: includePad, $0) }
            }
        }
        let x = GradCheck.uniform(2 * 5 * 7, using: &rng), r = GradCheck.uniform(2 * 3 * 4, using: &rng)
        let analytic = Ref.adaptiveAvgBackward(batch: 1, channels: 2, inHeight: 5, inWidth: 7, outHeight: 3, outWidth: 4, gradOutput: r)
        GradCheck.assertGradient(at: x, weights: r, analytic: analytic, "adaptive") {
            Ref.adaptiveAvgForward(batch: 1, channels: 2, inHeight: 5, inWidth: 7, outHeight: 3, outWidth: 4, $0) }
        // Negative control: the count_include_pad gradient is wrong for the other divisor rule.
        let g = Pool2dGeometry(batch: 1, channels: 1, inHeight: 4, inWidth: 4, kernelHeight: 3, kernelWidth: 3,
                               strideH: 2, strideW: 2, padH: 1, padW: 1)
        let xs = GradCheck.uniform(16, using: &rng), rs = GradCheck.uniform(4, using: &rng)
        let wrong = Ref.avgBackward(g, countIncludePad: true, gradOutput: rs)
        XCTAssertFalse(GradCheck.check(at: xs, weights: rs, analytic: wrong) { Ref.avgForward(g, countIncludePad: false, $0) }.passed)
    }
}
