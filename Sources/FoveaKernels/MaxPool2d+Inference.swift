extension MaxPool2d {
    /// input `(N, C, H, W)` → output `(N, C, OH, OW)`, the values of `forward` without its indices:
    /// the inference path (nothing will be routed back, so no index is chosen or stored).
    ///
    /// Separable: first every input row's maximum over each output column's kernel width (`H × OW`
    /// scratch per plane, strided loads), then each output row is the elementwise maximum of its
    /// `KH` scratch rows, in SIMD8 blocks. A 3x3/2 pool does 6 scalar and 3/8 vector steps per
    /// output instead of 9 compare-and-selects with index bookkeeping. NaN propagates, as in `forward`.
    public static func forwardValues(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid pooling geometry")
        let H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        let planeIn = H * W, planeOut = OH * OW
        Parallel.forRanges(g.batch * g.channels, minimumPerChunk: max(1, 8192 / max(planeOut, 1))) { planes in
            let rowMax = UnsafeMutablePointer<Float>.allocate(capacity: H * OW)
            defer { rowMax.deallocate() }
            for p in planes {
                let x = input + p * planeIn, y = output + p * planeOut
                for h in 0..<H {
                    let row = x + h * W, m = rowMax + h * OW
                    m.update(repeating: -.infinity, count: OW)
                    for kw in 0..<g.kernelWidth {
                        // Output columns whose tap kw lands inside the row: 0 ≤ ow·s − pad + kw < W.
                        let first = max(0, (g.padW - kw + g.strideW - 1) / g.strideW)
                        let last = min(OW, (W - 1 + g.padW - kw) / g.strideW + 1)
                        var ow = first
                        while ow < last {
                            let v = row[ow &* g.strideW &- g.padW &+ kw], best = m[ow]
                            m[ow] = (v > best || v != v) ? v : best
                            ow &+= 1
                        }
                    }
                }
                for oh in 0..<OH {
                    let h0 = oh * g.strideH - g.padH
                    let hs = max(h0, 0), he = min(h0 + g.kernelHeight, H)
                    let out = y + oh * OW
                    out.update(repeating: -.infinity, count: OW)
                    for h in hs..<he { maximum(into: out, rowMax + h * OW, OW) }
                }
            }
        }
    }

    /// `y[i] = max(y[i], x[i])`, NaN in x propagating, in SIMD8 blocks.
    @inline(__always)
    static func maximum(into y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
        typealias V = SIMD8<Float>
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            var best = UnsafeRawPointer(y + i).loadUnaligned(as: V.self)
            best.replace(with: v, where: (v .> best) .| (v .!= v))
            UnsafeMutableRawPointer(y + i).storeBytes(of: best, as: V.self)
            i += 8
        }
        while i < n { let v = x[i]; if v > y[i] || v != v { y[i] = v }; i += 1 }
    }
}
