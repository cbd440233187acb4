import XCTest
import FoveaKernels
import FoveaTensor
import FoveaTestSupport

/// `MaxPool2d.forwardValues` (inference, no indices) gives exactly the reference's values.
final class MaxPoolInferenceTests: XCTestCase {
    func testValuesMatchReference() {
        var rng = RandomGenerator(seed: 21)
        var geometries: [Pool2dGeometry] = [Pool2dGeometry(batch: 1, channels: 3, inHeight: 112, inWidth: 112, kernelHeight: 3,
                                                           kernelWidth: 3, strideH: 2, strideW: 2, padH: 1, padW: 1)]
        while geometries.count < 60 {
            let kh = Int(rng.next() % 4) + 1, kw = Int(rng.next() % 4) + 1
            let g = Pool2dGeometry(batch: Int(rng.next() % 2) + 1, channels: Int(rng.next() % 3) + 1,
                                   inHeight: Int(rng.next() % 20) + 1, inWidth: Int(rng.next() % 20) + 1,
                                   kernelHeight: kh, kernelWidth: kw, strideH: Int(rng.next() % 3) + 1, strideW: Int(rng.next() % 3) + 1,
                                   padH: Int(rng.next() % UInt64(kh / 2 + 1)), padW: Int(rng.next() % UInt64(kw / 2 + 1)))
            if g.isValid { geometries.append(g) }
        }
        for g in geometries {
            let x = GradCheck.uniform(g.inputCount, using: &rng).map { ($0 * 4).rounded() }.floats
            let y = Buffers.make(g.outputCount) { o in Buffers.read(x) { MaxPool2d.forwardValues(g, input: $0, output: o) } }
            XCTAssertEqual(y.doubles, PoolingReference<Double>.maxForward(g, x.doubles).0, "\(g)")
        }
    }

    /// Negative control for the NaN rule: a NaN anywhere in a window makes that output NaN.
    func testNaNPropagates() {
        let g = Pool2dGeometry(batch: 1, channels: 1, inHeight: 4, inWidth: 20, kernelHeight: 2, kernelWidth: 2, strideH: 2, strideW: 2)
        var x = [Float](repeating: 1, count: 80)
        x[21] = .nan  // row 1, column 1: output (0, 0)
        x[78] = .nan  // row 3, column 18: output (1, 9)
        let y = Buffers.make(g.outputCount) { o in Buffers.read(x) { MaxPool2d.forwardValues(g, input: $0, output: o) } }
        XCTAssertTrue(y[0].isNaN)
        XCTAssertTrue(y[19].isNaN)
        XCTAssertEqual(y.filter { $0.isNaN }.count, 2)
    }
}
