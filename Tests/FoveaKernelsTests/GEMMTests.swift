import XCTest
import FoveaTestSupport
import FoveaKernels
import FoveaTensor

/// The fast SGEMM against its naive twin, on every micro-kernel this CPU can run.
final class GEMMTests: XCTestCase {
    /// One randomized case: sizes, transpositions, padded leading dimensions, alpha and beta.
    private func check(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, pad: Int, alpha: Float, beta: Float,
                       kernel: GEMM.MicroKernel, threads: Int, using rng: inout RandomGenerator,
                       file: StaticString = #filePath, line: UInt = #line) {
        let lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad
        let a = (0..<((transA ? k : m) * lda)).map { _ in Float.random(in: -1...1, using: &rng) }
        let b = (0..<((transB ? n : k) * ldb)).map { _ in Float.random(in: -1...1, using: &rng) }
        var expected = (0..<(m * ldc)).map { _ in Float.random(in: -1...1, using: &rng) }
        // beta == 0 must ignore C entirely, even NaN.
        var actual = beta == 0 ? [Float](repeating: .nan, count: expected.count) : expected
        GEMM.sgemmReference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                            b: b, ldb: ldb, beta: beta, c: &expected, ldc: ldc)
        GEMM.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                   beta: beta, c: &actual, ldc: ldc, kernel: kernel, threads: threads)
        // Padding columns of C must be untouched; compare them too (NaN only when beta == 0).
        let valid = (0..<m).flatMap { i in (0..<n).map { i * ldc + $0 } }
        assertClose(valid.map { actual[$0] }, valid.map { expected[$0] }, rtol: 1e-4, atol: 1e-4 * Double(max(1, k)).squareRoot(),
                    "\(kernel.rawValue) m=\(m) n=\(n) k=\(k) tA=\(transA) tB=\(transB) pad=\(pad) α=\(alpha) β=\(beta) threads=\(threads)",
                    file: file, line: line)
    }

    func testAllKernelsMatchReferenceOnOddShapes() {
        var rng = RandomGenerator(seed: 1)
        let sizes = [1, 7, 13, 67, 129, 300]
        for kernel in GEMM.MicroKernel.available {
            for trial in 0..<24 {
                let m = sizes.randomElement(using: &rng)!, n = sizes.randomElement(using: &rng)!
                let k = sizes.randomElement(using: &rng)!
                check(m: m, n: n, k: k, transA: trial & 1 != 0, transB: trial & 2 != 0, pad: trial % 3 == 0 ? 0 : 5,
                      alpha: trial % 4 == 0 ? 1 : -0.75, beta: [0, 1, 0.5][trial % 3],
                      kernel: kernel, threads: 1 + trial % 2, using: &rng)
            }
        }
    }

    func testDefaultKernelLargeThreadedAndDeepK() {
        var rng = RandomGenerator(seed: 2)
        // k beyond one K panel (accumulation across panels) and m, n beyond one cache block.
        for (m, n, k) in [(1030, 70, 900), (70, 1100, 33), (200, 210, 1500)] {
            for t in 0..<4 {
                check(m: m, n: n, k: k, transA: t & 1 != 0, transB: t & 2 != 0, pad: 3, alpha: 1.5, beta: t == 0 ? 0 : 0.25,
                      kernel: .best, threads: 2, using: &rng)
            }
        }
    }

    func testDegenerateSizes() {
        var c: [Float] = [1, 2, 3, 4]
        let a: [Float] = [9], b: [Float] = [9]
        GEMM.sgemm(transA: false, transB: false, m: 2, n: 2, k: 0, alpha: 1, a: a, lda: 1, b: b, ldb: 2,
                   beta: 0.5, c: &c, ldc: 2)
        XCTAssertEqual(c, [0.5, 1, 1.5, 2])
        var d = [Float](repeating: .nan, count: 4)
        GEMM.sgemm(transA: false, transB: false, m: 2, n: 2, k: 0, alpha: 1, a: a, lda: 1, b: b, ldb: 2,
                   beta: 0, c: &d, ldc: 2)
        XCTAssertEqual(d, [0, 0, 0, 0])
    }

    func testBitwiseDeterministic() {
        var rng = RandomGenerator(seed: 3)
        let m = 257, n = 263, k = 511
        let a = (0..<(m * k)).map { _ in Float.random(in: -1...1, using: &rng) }
        let b = (0..<(k * n)).map { _ in Float.random(in: -1...1, using: &rng) }
        var c1 = [Float](repeating: 0, count: m * n), c2 = c1
        GEMM.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: &c1, ldc: n)
        GEMM.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: &c2, ldc: n)
        XCTAssertEqual(c1, c2)
    }
}
