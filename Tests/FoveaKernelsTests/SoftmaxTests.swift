import XCTest
import FoveaKernels
import FoveaTensor
import FoveaTestSupport

final class SoftmaxTests: XCTestCase {
    typealias Ref = SoftmaxReference<Double>

    func testFastMatchesReference() {
        var rng = RandomGenerator(seed: 10)
        for (rows, cols) in [(1, 1), (3, 7), (5, 10), (64, 1000)] {
            let n = rows * cols
            // Large logits exercise the max shift: exp(80) overflows Float without it.
            let x = GradCheck.uniform(n, -80, 80, using: &rng).floats
            let g = GradCheck.uniform(n, using: &rng).floats
            let y = Buffers.make(n) { o in Buffers.read(x) { Softmax.forward(rows: rows, cols: cols, input: $0, output: o) } }
            assertClose(y, Ref.forward(rows: rows, cols: cols, x.doubles).floats, rtol: 1e-5, atol: 1e-7)
            let dx = Buffers.make(n) { o in Buffers.read(y) { yp in Buffers.read(g) {
                Softmax.backward(rows: rows, cols: cols, output: yp, gradOutput: $0, gradInput: o) } } }
            assertClose(dx, Ref.backward(rows: rows, cols: cols, output: y.doubles, gradOutput: g.doubles).floats,
                        rtol: 1e-4, atol: 1e-6)
            let ly = Buffers.make(n) { o in Buffers.read(x) { Softmax.logForward(rows: rows, cols: cols, input: $0, output: o) } }
            assertClose(ly, Ref.logForward(rows: rows, cols: cols, x.doubles).floats, rtol: 1e-5, atol: 1e-5)
            let ldx = Buffers.make(n) { o in Buffers.read(ly) { yp in Buffers.read(g) {
                Softmax.logBackward(rows: rows, cols: cols, output: yp, gradOutput: $0, gradInput: o) } } }
            assertClose(ldx, Ref.logBackward(rows: rows, cols: cols, output: ly.doubles, gradOutput: g.doubles).floats,
                        rtol: 1e-4, atol: 1e-5)
        }
    }

    func testReferenceGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 11)
        let rows = 3, cols = 5
        let x = GradCheck.uniform(rows * cols, -3, 3, using: &rng), r = GradCheck.uniform(rows * cols, using: &rng)
        let y = Ref.forward(rows: rows, cols: cols, x)
        GradCheck.assertGradient(at: x, weights: r, analytic: Ref.backward(rows: rows, cols: cols, output: y, gradOutput: r),
                                 "softmax") { Ref.forward(rows: rows, cols: cols, $0) }
        let ly = Ref.logForward(rows: rows, cols: cols, x)
        GradCheck.assertGradient(at: x, weights: r, analytic: Ref.logBackward(rows: rows, cols: cols, output: ly, gradOutput: r),
                                 "log-softmax") { Ref.logForward(rows: rows, cols: cols, $0) }
        // Negative control: softmax's backward is not log-softmax's.
        let wrong = Ref.logBackward(rows: rows, cols: cols, output: y.map { log($0) }, gradOutput: r)
        XCTAssertFalse(GradCheck.check(at: x, weights: r, analytic: wrong) { Ref.forward(rows: rows, cols: cols, $0) }.passed)
    }

    func testRowsSumToOne() {
        let x: [Float] = [1000, 1000, -1000, 0, 0, 0]
        let y = Buffers.make(6) { o in Buffers.read(x) { Softmax.forward(rows: 2, cols: 3, input: $0, output: o) } }
        XCTAssertEqual(y, [0.5, 0.5, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3])
    }
}
