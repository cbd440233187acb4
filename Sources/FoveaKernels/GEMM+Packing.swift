// Packing copies a block of op(A) or op(B) into the contiguous, zero-padded order the micro-kernel
// streams, so the kernel's loads are unit-stride whatever the operand's transposition or stride.

extension GEMM {
    /// Packs an (m × k) block of A into ⌈m / mr⌉ panels, each (k × mr): `dst[p·mr + i] = A[i][p]`.
    /// Rows past `m` are zero so edge tiles need no special case in the kernel.
    static func packA(_ a: Operand, m: Int, k: Int, mr: Int, into dst: UnsafeMutablePointer<Float>) {
        var i0 = 0
        while i0 < m {
            let rows = min(mr, m - i0)
            let panel = dst + i0 * k
            let src = a.base + i0 * a.rowStride
            if a.colStride == 1 {
                // Rows are contiguous: read each row once, write it down a column of the panel.
                for r in 0..<rows {
                    let row = src + r * a.rowStride
                    var d = panel + r
                    for p in 0..<k { d.pointee = row[p]; d += mr }
                }
            } else if a.rowStride == 1 {
                // Columns are contiguous (transposed A): each k step is one short copy.
                for p in 0..<k {
                    let col = src + p * a.colStride, d = panel + p * mr
                    for r in 0..<rows { d[r] = col[r] }
                }
            } else {
                for p in 0..<k { for r in 0..<rows { panel[p * mr + r] = src[r * a.rowStride + p * a.colStride] } }
            }
            if rows < mr { for p in 0..<k { for r in rows..<mr { panel[p * mr + r] = 0 } } }
            i0 += mr
        }
    }

    /// Packs a (k × n) block of B into ⌈n / nr⌉ panels, each (k × nr): `dst[p·nr + j] = B[p][j]`.
    /// Columns past `n` are zero.
    static func packB(_ b: Operand, k: Int, n: Int, nr: Int, into dst: UnsafeMutablePointer<Float>) {
        var j0 = 0
        while j0 < n {
            let cols = min(nr, n - j0)
            let panel = dst + j0 * k
            let src = b.base + j0 * b.colStride
            if b.colStride == 1 && cols == nr && nr % 16 == 0 {
                // Whole rows of the panel are contiguous: copy 16 floats per vector move.
                for p in 0..<k {
                    let s = UnsafeRawPointer(src + p * b.rowStride), d = UnsafeMutableRawPointer(panel + p * nr)
                    var q = 0
                    while q < nr * 4 {
                        d.storeBytes(of: s.loadUnaligned(fromByteOffset: q, as: SIMD16<Float>.self),
                                     toByteOffset: q, as: SIMD16<Float>.self)
                        q += 64
                    }
                }
            } else if b.colStride == 1 {
                for p in 0..<k {
                    let s = src + p * b.rowStride, d = panel + p * nr
                    for j in 0..<cols { d[j] = s[j] }
                    for j in cols..<nr { d[j] = 0 }
                }
            } else {
                // Transposed B: column j is contiguous in p; write it down the panel.
                for j in 0..<cols {
                    let col = src + j * b.colStride
                    var d = panel + j
                    if b.rowStride == 1 {
                        for p in 0..<k { d.pointee = col[p]; d += nr }
                    } else {
                        for p in 0..<k { d.pointee = col[p * b.rowStride]; d += nr }
                    }
                }
                if cols < nr { for p in 0..<k { for j in cols..<nr { panel[p * nr + j] = 0 } } }
            }
            j0 += nr
        }
    }
}
