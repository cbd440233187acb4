extension GEMM {
    /// The naive twin of `sgemm`: the same contract as a triple loop. It is the test oracle and the
    /// readable definition: `C (M×N) = alpha·op(A)·op(B) + beta·C`, all row-major, where
    /// `op(A)[i][p]` is `a[i·lda + p]` (or `a[p·lda + i]` when `transA`) and `op(B)[p][j]` is
    /// `b[p·ldb + j]` (or `b[j·ldb + p]` when `transB`). `beta == 0` never reads C.
    public static func sgemmReference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let aip = transA ? a[p * lda + i] : a[i * lda + p]
                    let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += aip * bpj
                }
                c[i * ldc + j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i * ldc + j]
            }
        }
    }
}
