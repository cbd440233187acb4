import XCTest
import FoveaKernels
import FoveaTensor
import FoveaTestSupport

final class NormalizationTests: XCTestCase {
    typealias BN = BatchNormReference<Double>
    typealias LN = LayerNormReference<Double>
    let shapes = [(1, 1, 5), (2, 3, 7), (3, 4, 9), (4, 16, 33), (2, 8, 1)]

    func testBatchNormTrainingMatchesReference() {
        var rng = RandomGenerator(seed: 30)
        for (n, c, s) in shapes + [(8, 24, 28 * 28)] {
            for affine in [true, false] {
                // An offset mean checks that the variance does not come from E[x²] − E[x]².
                let x = GradCheck.uniform(n * c * s, 2, 4, using: &rng).floats, dy = GradCheck.uniform(n * c * s, using: &rng).floats
                let w = affine ? GradCheck.uniform(c, 0.5, 1.5, using: &rng).floats : nil
                let b = affine ? GradCheck.uniform(c, using: &rng).floats : nil
                var mean = [Float](repeating: 0, count: c), variance = mean, invStd = mean
                let y = Buffers.make(n * c * s) { o in Buffers.read(x) { xp in Buffers.optional(w) { wp in Buffers.optional(b) { bp in
                    BatchNorm2d.forwardTraining(batch: n, channels: c, spatial: s, input: xp, weight: wp, bias: bp, eps: 1e-5, output: o,
                                                saveMean: &mean, saveVariance: &variance, saveInvStd: &invStd) } } } }
                let ref = BN.forwardTraining(batch: n, channels: c, spatial: s, x.doubles, weight: w?.doubles, bias: b?.doubles, eps: 1e-5)
                assertClose(y, ref.output.floats, rtol: 1e-4, atol: 1e-4, "\(n)x\(c)x\(s)")
                assertClose(mean, ref.mean.floats, rtol: 1e-6, atol: 1e-6)
                assertClose(variance, ref.variance.floats, rtol: 1e-4, atol: 1e-7)
                assertClose(invStd, ref.variance.map { 1 / ($0 + 1e-5).squareRoot() }.floats, rtol: 1e-4)
                var dw = [Float](repeating: .nan, count: c), db = dw
                let dx = Buffers.make(n * c * s) { o in Buffers.read(x) { xp in Buffers.read(dy) { gp in Buffers.optional(w) { wp in
                    BatchNorm2d.backwardTraining(batch: n, channels: c, spatial: s, input: xp, gradOutput: gp, weight: wp,
                                                 saveMean: mean, saveInvStd: invStd, gradInput: o, gradWeight: &dw, gradBias: &db) } } } }
                let rg = BN.backwardTraining(batch: n, channels: c, spatial: s, x.doubles, gradOutput: dy.doubles, weight: w?.doubles, eps: 1e-5)
                assertClose(dx, rg.gradInput.floats, rtol: 1e-3, atol: 1e-4, "\(n)x\(c)x\(s)")
                assertClose(dw, rg.gradWeight.floats, rtol: 1e-3, atol: 1e-4)
                assertClose(db, rg.gradBias.floats, rtol: 1e-4, atol: 1e-4)
            }
        }
    }

    func testBatchNormInferenceMatchesReference() {
        var rng = RandomGenerator(seed: 31)
        for (n, c, s) in shapes {
            let x = GradCheck.uniform(n * c * s, using: &rng).floats, dy = GradCheck.uniform(n * c * s, using: &rng).floats
            let w = GradCheck.uniform(c, using: &rng).floats, b = GradCheck.uniform(c, using: &rng).floats
            let rm = GradCheck.uniform(c, using: &rng).floats, rv = GradCheck.uniform(c, 0.5, 2, using: &rng).floats
            let y = Buffers.make(n * c * s) { o in Buffers.read(x) { xp in
                BatchNorm2d.forwardInference(batch: n, channels: c, spatial: s, input: xp, weight: w, bias: b,
                                             runningMean: rm, runningVariance: rv, eps: 1e-5, output: o) } }
            assertClose(y, BN.forwardInference(batch: n, channels: c, spatial: s, x.doubles, weight: w.doubles, bias: b.doubles,
                                               runningMean: rm.doubles, runningVariance: rv.doubles, eps: 1e-5).floats, rtol: 1e-5, atol: 1e-5)
            var dw = [Float](repeating: .nan, count: c), db = dw
            let dx = Buffers.make(n * c * s) { o in Buffers.read(x) { xp in Buffers.read(dy) { gp in
                BatchNorm2d.backwardInference(batch: n, channels: c, spatial: s, input: xp, gradOutput: gp, weight: w, runningMean: rm,
                                              runningVariance: rv, eps: 1e-5, gradInput: o, gradWeight: &dw, gradBias: &db) } } }
            let rg = BN.backwardInference(batch: n, channels: c, spatial: s, x.doubles, gradOutput: dy.doubles, weight: w.doubles,
                                          runningMean: rm.doubles, runningVariance: rv.doubles, eps: 1e-5)
            assertClose(dx, rg.gradInput.floats, rtol: 1e-5, atol: 1e-6)
            assertClose(dw, rg.gradWeight.floats, rtol: 1e-4, atol: 1e-5)
            assertClose(db, rg.gradBias.floats, rtol: 1e-4, atol: 1e-5)
        }
    }

    func testLayerNormMatchesReference() {
        var rng = RandomGenerator(seed: 32)
        for (n, c, s) in shapes + [(2, 96, 56 * 56 / 4 + 3)] {
            for affine in [true, false] {
                let x = GradCheck.uniform(n * c * s, 2, 4, using: &rng).floats, dy = GradCheck.uniform(n * c * s, using: &rng).floats
                let w = affine ? GradCheck.uniform(c, 0.5, 1.5, using: &rng).floats : nil
                let b = affine ? GradCheck.uniform(c, using: &rng).floats : nil
                var mean = [Float](repeating: 0, count: n * s), invStd = mean
                let y = Buffers.make(n * c * s) { o in Buffers.read(x) { xp in Buffers.optional(w) { wp in Buffers.optional(b) { bp in
                    LayerNorm2d.forward(batch: n, channels: c, spatial: s, input: xp, weight: wp, bias: bp, eps: 1e-6, output: o,
                                        saveMean: &mean, saveInvStd: &invStd) } } } }
                let ref = LN.forward(batch: n, channels: c, spatial: s, x.doubles, weight: w?.doubles, bias: b?.doubles, eps: 1e-6)
                assertClose(y, ref.output.floats, rtol: 1e-3, atol: 1e-3, "\(n)x\(c)x\(s)")
                assertClose(mean, ref.mean.floats, rtol: 1e-6)
                assertClose(invStd, ref.invStd.floats, rtol: 2e-3)
                var dw = [Float](repeating: .nan, count: c), db = dw
                let dx = Buffers.make(n * c * s) { o in Buffers.read(x) { xp in Buffers.read(dy) { gp in Buffers.optional(w) { wp in
                    LayerNorm2d.backward(batch: n, channels: c, spatial: s, input: xp, gradOutput: gp, weight: wp,
                                         saveMean: mean, saveInvStd: invStd, gradInput: o, gradWeight: &dw, gradBias: &db) } } } }
                let rg = LN.backward(batch: n, channels: c, spatial: s, x.doubles, gradOutput: dy.doubles, weight: w?.doubles, eps: 1e-6)
                assertClose(dx, rg.gradInput.floats, rtol: 2e-3, atol: 2e-3, "\(n)x\(c)x\(s)")
                assertClose(dw, rg.gradWeight.floats, rtol: 2e-3, atol: 2e-3)
                assertClose(db, rg.gradBias.floats, rtol: 1e-4, atol: 1e-4)
            }
        }
    }

    /// Each naive backward vs central differences of its forward, for input, weight and bias.
    func testReferenceGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 33)
        let (n, c, s) = (2, 3, 5), count = n * c * s
        let x = GradCheck.uniform(count, using: &rng), r = GradCheck.uniform(count, using: &rng)
        let w = GradCheck.uniform(c, 0.5, 1.5, using: &rng), b = GradCheck.uniform(c, using: &rng)
        let rm = GradCheck.uniform(c, using: &rng), rv = GradCheck.uniform(c, 0.5, 2, using: &rng)

        let bn = BN.backwardTraining(batch: n, channels: c, spatial: s, x, gradOutput: r, weight: w, eps: 1e-5)
        func bnY(_ x: [Double], _ w: [Double], _ b: [Double]) -> [Double] {
            BN.forwardTraining(batch: n, channels: c, spatial: s, x, weight: w, bias: b, eps: 1e-5).output
        }
        GradCheck.assertGradient(at: x, weights: r, analytic: bn.gradInput, "bn dx") { bnY($0, w, b) }
        GradCheck.assertGradient(at: w, weights: r, analytic: bn.gradWeight, "bn dw") { bnY(x, $0, b) }
        GradCheck.assertGradient(at: b, weights: r, analytic: bn.gradBias, "bn db") { bnY(x, w, $0) }

        let bi = BN.backwardInference(batch: n, channels: c, spatial: s, x, gradOutput: r, weight: w, runningMean: rm,
                                      runningVariance: rv, eps: 1e-5)
        func biY(_ x: [Double], _ w: [Double], _ b: [Double]) -> [Double] {
            BN.forwardInference(batch: n, channels: c, spatial: s, x, weight: w, bias: b, runningMean: rm, runningVariance: rv, eps: 1e-5)
        }
        GradCheck.assertGradient(at: x, weights: r, analytic: bi.gradInput, "bn eval dx") { biY($0, w, b) }
        GradCheck.assertGradient(at: w, weights: r, analytic: bi.gradWeight, "bn eval dw") { biY(x, $0, b) }
        GradCheck.assertGradient(at: b, weights: r, analytic: bi.gradBias, "bn eval db") { biY(x, w, $0) }

        let ln = LN.backward(batch: n, channels: c, spatial: s, x, gradOutput: r, weight: w, eps: 1e-6)
        func lnY(_ x: [Double], _ w: [Double], _ b: [Double]) -> [Double] {
            LN.forward(batch: n, channels: c, spatial: s, x, weight: w, bias: b, eps: 1e-6).output
        }
        GradCheck.assertGradient(at: x, weights: r, analytic: ln.gradInput, "ln dx") { lnY($0, w, b) }
        GradCheck.assertGradient(at: w, weights: r, analytic: ln.gradWeight, "ln dw") { lnY(x, $0, b) }
        GradCheck.assertGradient(at: b, weights: r, analytic: ln.gradBias, "ln db") { lnY(x, w, $0) }

        // Negative control: the eval-mode input gradient ignores the batch statistics' dependence on x,
        // so it must fail as the training-mode gradient.
        let evalStyle = BN.backwardInference(batch: n, channels: c, spatial: s, x, gradOutput: r, weight: w,
                                             runningMean: [Double](repeating: 0, count: c), runningVariance: [Double](repeating: 1, count: c),
                                             eps: 0).gradInput
        let bnTrain = BN.forwardTraining(batch: n, channels: c, spatial: s, x, weight: w, bias: b, eps: 1e-5)
        let frozen = zip(evalStyle.indices, evalStyle).map { i, g in g / (bnTrain.variance[(i / s) % c] + 1e-5).squareRoot() }
        XCTAssertFalse(GradCheck.check(at: x, weights: r, analytic: frozen) { bnY($0, w, b) }.passed)
    }
}
