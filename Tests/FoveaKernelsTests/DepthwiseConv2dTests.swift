import XCTest
import FoveaKernels
import FoveaTensor
import FoveaTestSupport

final class DepthwiseConv2dTests: XCTestCase {
    typealias Ref = DepthwiseConv2dReference<Double>

    /// Random valid depthwise geometries: odd sizes, strides 1–3, padding up to beyond the kernel, dilation.
    static func geometries(_ count: Int, _ rng: inout RandomGenerator) -> [Conv2dGeometry] {
        var result = [Conv2dGeometry]()
        while result.count < count {
            let c = Int(rng.next() % 4) + 1
            let g = Conv2dGeometry(batch: Int(rng.next() % 2) + 1, inChannels: c, inHeight: Int(rng.next() % 20) + 1,
                                   inWidth: Int(rng.next() % 30) + 1, outChannels: c,
                                   kernelHeight: Int(rng.next() % 7) + 1, kernelWidth: Int(rng.next() % 7) + 1,
                                   strideH: Int(rng.next() % 3) + 1, strideW: Int(rng.next() % 3) + 1,
                                   padH: Int(rng.next() % 5), padW: Int(rng.next() % 5),
                                   dilationH: Int(rng.next() % 2) + 1, dilationW: Int(rng.next() % 3) + 1, groups: c)
            if g.isValid { result.append(g) }
        }
        return result
    }

    static func run(_ g: Conv2dGeometry, _ x: [Float], _ w: [Float], _ b: [Float]?, _ dy: [Float])
        -> (y: [Float], dx: [Float], dw: [Float], db: [Float]) {
        let y = Buffers.make(g.outputCount) { o in Buffers.read(x) { xp in Buffers.read(w) { wp in Buffers.optional(b) {
            DepthwiseConv2d.forward(g, input: xp, weight: wp, bias: $0, output: o) } } } }
        let dx = Buffers.make(g.inputCount) { o in Buffers.read(dy) { dp in Buffers.read(w) {
            DepthwiseConv2d.backwardInput(g, gradOutput: dp, weight: $0, gradInput: o) } } }
        var db = [Float](repeating: .nan, count: g.outChannels)
        let dw = Buffers.make(g.weightCount) { o in Buffers.read(x) { xp in Buffers.read(dy) {
            DepthwiseConv2d.backwardWeight(g, input: xp, gradOutput: $0, gradWeight: o, gradBias: &db) } } }
        return (y, dx, dw, db)
    }

    /// Hand-picked geometries: 3×3, 7×7, stride 2, dilation, and widths with tails.
    static let named = [
        Conv2dGeometry(batch: 2, inChannels: 5, inHeight: 17, inWidth: 19, outChannels: 5, kernelHeight: 3, kernelWidth: 3,
                       padH: 1, padW: 1, groups: 5),
        Conv2dGeometry(batch: 1, inChannels: 3, inHeight: 14, inWidth: 70, outChannels: 3, kernelHeight: 7, kernelWidth: 7,
                       padH: 3, padW: 3, groups: 3),
        Conv2dGeometry(batch: 2, inChannels: 4, inHeight: 15, inWidth: 15, outChannels: 4, kernelHeight: 3, kernelWidth: 3,
                       strideH: 2, strideW: 2, padH: 1, padW: 1, groups: 4),
        Conv2dGeometry(batch: 1, inChannels: 2, inHeight: 9, inWidth: 33, outChannels: 2, kernelHeight: 5, kernelWidth: 3,
                       padH: 4, padW: 2, dilationH: 2, dilationW: 2, groups: 2),
        // Widths that exercise every column-strip shape (7 = 3 + 4, 5 = 4 + 1, 8 = 4 + 4 vectors).
        Conv2dGeometry(batch: 1, inChannels: 2, inHeight: 13, inWidth: 56, outChannels: 2, kernelHeight: 7, kernelWidth: 7,
                       padH: 3, padW: 3, groups: 2),
        Conv2dGeometry(batch: 1, inChannels: 2, inHeight: 10, inWidth: 37, outChannels: 2, kernelHeight: 3, kernelWidth: 3,
                       padH: 1, padW: 1, groups: 2),
        Conv2dGeometry(batch: 1, inChannels: 1, inHeight: 5, inWidth: 64, outChannels: 1, kernelHeight: 5, kernelWidth: 5,
                       padH: 2, padW: 2, groups: 1),
    ]

    func testMatchesReference() {
        var rng = RandomGenerator(seed: 40)
        for g in Self.named + Self.geometries(60, &rng) {
            let x = GradCheck.uniform(g.inputCount, using: &rng).floats, w = GradCheck.uniform(g.weightCount, using: &rng).floats
            let b = GradCheck.uniform(g.outChannels, using: &rng).floats, dy = GradCheck.uniform(g.outputCount, using: &rng).floats
            let (y, dx, dw, db) = Self.run(g, x, w, b, dy)
            assertClose(y, Ref.forward(g, input: x.doubles, weight: w.doubles, bias: b.doubles).floats, rtol: 1e-5, atol: 1e-5, "\(g)")
            assertClose(dx, Ref.backwardInput(g, gradOutput: dy.doubles, weight: w.doubles).floats, rtol: 1e-5, atol: 1e-5, "\(g)")
            let (rw, rb) = Ref.backwardWeight(g, input: x.doubles, gradOutput: dy.doubles)
            assertClose(dw, rw.floats, rtol: 1e-4, atol: 1e-4, "\(g)")
            assertClose(db, rb.floats, rtol: 1e-5, atol: 1e-5, "\(g)")
            let noBias = Buffers.make(g.outputCount) { o in Buffers.read(x) { xp in Buffers.read(w) {
                DepthwiseConv2d.forward(g, input: xp, weight: $0, bias: nil, output: o) } } }
            assertClose(noBias, Ref.forward(g, input: x.doubles, weight: w.doubles, bias: nil).floats, rtol: 1e-5, atol: 1e-5)
        }
    }

    /// Same inputs, same bits: fixed partitioning and reduction order.
    func testDeterministic() {
        var rng = RandomGenerator(seed: 41)
        let g = Conv2dGeometry(batch: 4, inChannels: 8, inHeight: 28, inWidth: 28, outChannels: 8, kernelHeight: 7, kernelWidth: 7,
                               padH: 3, padW: 3, groups: 8)
        let x = GradCheck.uniform(g.inputCount, using: &rng).floats, w = GradCheck.uniform(g.weightCount, using: &rng).floats
        let dy = GradCheck.uniform(g.outputCount, using: &rng).floats
        let a = Self.run(g, x, w, nil, dy), b = Self.run(g, x, w, nil, dy)
        XCTAssertEqual(a.y, b.y); XCTAssertEqual(a.dx, b.dx); XCTAssertEqual(a.dw, b.dw); XCTAssertEqual(a.db, b.db)
    }

    func testReferenceGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 42)
        // Small planes keep the O(inputs × forward) finite differences cheap.
        for g in Self.geometries(40, &rng).filter({ $0.inputCount <= 200 }).prefix(6) {
            let x = GradCheck.uniform(g.inputCount, using: &rng), w = GradCheck.uniform(g.weightCount, using: &rng)
            let b = GradCheck.uniform(g.outChannels, using: &rng), r = GradCheck.uniform(g.outputCount, using: &rng)
            let (dw, db) = Ref.backwardWeight(g, input: x, gradOutput: r)
            GradCheck.assertGradient(at: x, weights: r, analytic: Ref.backwardInput(g, gradOutput: r, weight: w), "dx \(g)") {
                Ref.forward(g, input: $0, weight: w, bias: b) }
            GradCheck.assertGradient(at: w, weights: r, analytic: dw, "dw \(g)") { Ref.forward(g, input: x, weight: $0, bias: b) }
            GradCheck.assertGradient(at: b, weights: r, analytic: db, "db \(g)") { Ref.forward(g, input: x, weight: w, bias: $0) }
        }
        // Negative control: the input gradient with the kernel not flipped (a classic transposed-conv bug).
        let g = Conv2dGeometry(batch: 1, inChannels: 2, inHeight: 6, inWidth: 6, outChannels: 2, kernelHeight: 3, kernelWidth: 3,
                               padH: 1, padW: 1, groups: 2)
        let x = GradCheck.uniform(g.inputCount, using: &rng), w = GradCheck.uniform(g.weightCount, using: &rng)
        let r = GradCheck.uniform(g.outputCount, using: &rng)
        let flippedW = (0..<2).flatMap { c in (0..<9).map { w[c * 9 + 8 - $0] } }
        let wrong = Ref.backwardInput(g, gradOutput: r, weight: flippedW)
        XCTAssertFalse(GradCheck.check(at: x, weights: r, analytic: wrong) { Ref.forward(g, input: $0, weight: w, bias: nil) }.passed)
    }
}
