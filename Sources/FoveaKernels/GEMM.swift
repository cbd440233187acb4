import CFoveaKernels

/// Single-precision matrix multiply, the engine under every convolution and linear layer.
///
/// Structure (after Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication", 2008):
/// Swift packs op(B) into kc × nc blocks of `nr`-wide column panels and op(A) into `mr`-tall row
/// panels, then calls a C micro-kernel per `mr × nr` tile of C. Threads own disjoint column (or row)
/// ranges of C, so every element is computed by one thread in a fixed order: results are bitwise
/// reproducible.
public enum GEMM {
    /// C (M×N) = alpha·op(A)·op(B) + beta·C, all row-major. op(A) is M×K: A is stored M×K (lda ≥ K)
    /// or, when transA, K×M (lda ≥ M). op(B) is K×N: B stored K×N (ldb ≥ N) or, when transB, N×K
    /// (ldb ≥ K). beta == 0 means C is write-only (may hold garbage/NaN). Runs with
    /// `KernelOptions.current` (by default every core and the fastest micro-kernel).
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let options = KernelOptions.current
        sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
              beta: beta, c: c, ldc: ldc, kernel: options.microKernel, threads: options.threads,
              blocking: options.gemmBlocking)
    }

    /// `sgemm` on a chosen micro-kernel, thread count and blocking (tests and benchmarks compare
    /// kernels). `kernel` must be one of `MicroKernel.available`.
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                             kernel: MicroKernel, threads: Int,
                             blocking: Blocking = KernelOptions.current.gemmBlocking) {
        precondition(kernel.isSupported, "GEMM micro-kernel \(kernel.rawValue) is not supported by this CPU")
        precondition(m >= 0 && n >= 0 && k >= 0, "negative GEMM size")
        precondition(lda >= max(1, transA ? m : k) && ldb >= max(1, transB ? k : n) && ldc >= max(1, n),
                     "GEMM leading dimension too small")
        let A = Operand(a, rowStride: transA ? 1 : lda, colStride: transA ? lda : 1)
        let B = Operand(b, rowStride: transB ? 1 : ldb, colStride: transB ? ldb : 1)
        let mTiles = (m + kernel.mr - 1) / kernel.mr, nTiles = (n + kernel.nr - 1) / kernel.nr
        // Below ~2 MFLOP a thread handoff costs more than it saves.
        let workers = m * n * k < 1 << 20 ? 1 : min(threads, max(mTiles, nTiles))
        if workers <= 1 {
            serial(m: m, n: n, k: k, alpha: alpha, a: A, b: B, beta: beta, c: c, ldc: ldc, kernel: kernel,
                   blocking: blocking)
            return
        }
        // Split the wider dimension (in whole tiles) so each thread packs its own share of B or A.
        let splitColumns = nTiles >= workers && (n >= m || mTiles < workers)
        let tiles = splitColumns ? nTiles : mTiles
        Parallel.forRanges(tiles, threads: workers) { range in
            if splitColumns {
                let j0 = range.lowerBound * kernel.nr, j1 = min(n, range.upperBound * kernel.nr)
                serial(m: m, n: j1 - j0, k: k, alpha: alpha, a: A, b: B.columns(from: j0), beta: beta,
                       c: c + j0, ldc: ldc, kernel: kernel, blocking: blocking)
            } else {
                let i0 = range.lowerBound * kernel.mr, i1 = min(m, range.upperBound * kernel.mr)
                serial(m: i1 - i0, n: n, k: k, alpha: alpha, a: A.rows(from: i0), b: B, beta: beta,
                       c: c + i0 * ldc, ldc: ldc, kernel: kernel, blocking: blocking)
            }
        }
    }

    /// A strided view of a matrix operand: element (i, j) is `base[i·rowStride + j·colStride]`.
    struct Operand {
        var base: UnsafePointer<Float>
        var rowStride: Int, colStride: Int
        init(_ base: UnsafePointer<Float>, rowStride: Int, colStride: Int) {
            self.base = base; self.rowStride = rowStride; self.colStride = colStride
        }
        func rows(from i: Int) -> Operand { Operand(base + i * rowStride, rowStride: rowStride, colStride: colStride) }
        func columns(from j: Int) -> Operand { Operand(base + j * colStride, rowStride: rowStride, colStride: colStride) }
    }

    /// One thread's GEMM: the loop nest around the micro-kernel. C is (m × n) with row stride ldc.
    static func serial(m: Int, n: Int, k: Int, alpha: Float, a: Operand, b: Operand, beta: Float,
                       c: UnsafeMutablePointer<Float>, ldc: Int, kernel: MicroKernel, blocking: Blocking) {
        serial(m: m, n: n, k: k, alpha: alpha, a: a, beta: beta, c: c, ldc: ldc, kernel: kernel,
               blocking: blocking) { pc, kc, jc, nc, dst in
            packB(b.rows(from: pc).columns(from: jc), k: kc, n: nc, nr: kernel.nr, into: dst)
        }
    }

    /// `serial` with op(B) supplied by a packer instead of a matrix: `packB(pc, kc, jc, nc, dst)` must
    /// write rows `pc..<pc+kc`, columns `jc..<jc+nc` of op(B) as `packB(_:k:n:nr:into:)` would
    /// (⌈nc / nr⌉ panels of kc × nr, zero past nc). Convolutions generate im2col panels this way
    /// without materialising the column matrix.
    static func serial(m: Int, n: Int, k: Int, alpha: Float, a: Operand, beta: Float,
                       c: UnsafeMutablePointer<Float>, ldc: Int, kernel: MicroKernel, blocking: Blocking,
                       packB: (_ pc: Int, _ kc: Int, _ jc: Int, _ nc: Int, _ dst: UnsafeMutablePointer<Float>) -> Void) {
        if m == 0 || n == 0 { return }
        if k == 0 || alpha == 0 { scale(m: m, n: n, beta: beta, c: c, ldc: ldc); return }
        let mr = kernel.mr, nr = kernel.nr, micro = kernel.function
        // Equal K panels: 1.1 × kc becomes two panels of 0.55 × kc, not kc plus a sliver.
        let kPanels = (k + blocking.kc - 1) / blocking.kc
        let kc = (k + kPanels - 1) / kPanels
        let nc = min(roundUp(n, nr), roundUp(blocking.nc, nr))
        let mc = min(roundUp(m, mr), roundUp(blocking.mc, mr))
        ScratchPool.shared.withBuffer(count: kc * nc) { bPacked in
            ScratchPool.shared.withBuffer(count: kc * mc) { aPacked in
                var jc = 0
                while jc < n {
                    let ncEff = min(nc, n - jc)
                    var pc = 0
                    while pc < k {
                        let kcEff = min(kc, k - pc)
                        // Later K panels add onto what the first one wrote.
                        let betaEff: Float = pc == 0 ? beta : 1
                        packB(pc, kcEff, jc, ncEff, bPacked)
                        var ic = 0
                        while ic < m {
                            let mcEff = min(mc, m - ic)
                            packA(a.rows(from: ic).columns(from: pc), m: mcEff, k: kcEff, mr: mr, into: aPacked)
                            var ir = 0
                            while ir < mcEff {
                                let aPanel = aPacked + ir * kcEff
                                let cRow = c + (ic + ir) * ldc + jc
                                let rows = min(mr, mcEff - ir)
                                var jr = 0
                                while jr < ncEff {
                                    micro(kcEff, aPanel, bPacked + jr * kcEff, cRow + jr, ldc, alpha, betaEff,
                                          rows, min(nr, ncEff - jr))
                                    jr += nr
                                }
                                ir += mr
                            }
                            ic += mc
                        }
                        pc += kc
                    }
                    jc += nc
                }
            }
        }
    }

    /// C = beta·C for the degenerate k == 0 or alpha == 0 product (beta == 0 writes zeros).
    static func scale(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 { row.update(repeating: 0, count: n) } else { for j in 0..<n { row[j] *= beta } }
        }
    }

    @inline(__always) static func roundUp(_ x: Int, _ multiple: Int) -> Int { (x + multiple - 1) / multiple * multiple }
}
