/// 2-D max pooling over NCHW planes, PyTorch's `MaxPool2d` (dilation 1, floor mode).
///
/// Each output takes the maximum of its window clipped to the input (padding acts as −∞).
/// As in PyTorch's CPU kernel, the first maximum wins ties, and a NaN replaces the running maximum
/// whenever it is met, so NaN propagates (with the last NaN's index).
public enum MaxPool2d {
    /// input `(N, C, H, W)` → output `(N, C, OH, OW)` and indices `(N, C, OH, OW)`, each index the
    /// flat position `h·W + w` of the maximum inside its own input plane. Planes run in parallel.
    public static func forward(_ g: Pool2dGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                               indices: UnsafeMutablePointer<Int32>) {
        precondition(g.isValid, "invalid pooling geometry")
        let H = g.inHeight, W = g.inWidth, OH = g.outHeight, OW = g.outWidth
        let planeIn = H * W, planeOut = OH * OW
        let halving = g.kernelHeight == 2 && g.kernelWidth == 2 && g.strideH == 2 && g.strideW == 2
            && g.padH == 0 && g.padW == 0 && OW >= 4
        Parallel.forRanges(g.batch * g.channels, minimumPerChunk: max(1, 8192 / max(planeOut, 1))) { planes in
            for p in planes {
                let x = input + p * planeIn, y = output + p * planeOut, ix = indices + p * planeOut
                if halving {
                    if OW >= 8 { halvePlane(x, H: H, W: W, y, ix) } else { halvePlaneNarrow(x, H: H, W: W, y, ix) }
                    continue
                }
                for oh in 0..<OH {
                    let h0 = oh * g.strideH - g.padH
                    let hs = max(h0, 0), he = min(h0 + g.kernelHeight, H)
                    let yRow = y + oh * OW, iRow = ix + oh * OW
                    for ow in 0..<OW { yRow[ow] = -.infinity; iRow[ow] = Int32(truncatingIfNeeded: hs * W + max(ow * g.strideW - g.padW, 0)) }
                    // Window taps outermost, output columns innermost: the compare-and-select has no
                    // data-dependent branch (a branch per element mispredicts on real activations).
                    for h in hs..<he {
                        let row = x + h * W
                        for kw in 0..<g.kernelWidth {
                            // Output columns whose tap kw lands inside the row: 0 ≤ ow·s − pad + kw < W.
                            let first = max(0, (g.padW - kw + g.strideW - 1) / g.strideW)
                            let last = min(OW, (W - 1 + g.padW - kw) / g.strideW + 1)
                            if first >= last { continue }
                            tap(row, h: h, W: W, from: first, to: last, stride: g.strideW, offset: kw - g.padW, yRow, iRow)
                        }
                    }
                }
            }
        }
    }

    /// The 2x2 stride-2 window (LeNet, VGG, the small CNNs) over one plane, eight outputs at a time:
    /// two 16-float row loads, their even and odd lanes are the four taps. Needs `W/2 ≥ 8`.
    @inline(__always)
    static func halvePlane(_ x: UnsafePointer<Float>, H: Int, W: Int, _ y: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>) {
        typealias V = SIMD8<Float>
        typealias I = SIMD8<Int32>
        let OH = H / 2, OW = W / 2
        let lane = I(0, 2, 4, 6, 8, 10, 12, 14)
        for oh in 0..<OH {
            let r0 = x + 2 * oh * W, r1 = r0 + W
            var ow = 0
            while ow < OW {
                if ow + 8 > OW { ow = OW - 8 }   // the last block overlaps the one before; rewriting outputs is harmless
                let a = UnsafeRawPointer(r0 + 2 * ow).loadUnaligned(as: SIMD16<Float>.self)
                let b = UnsafeRawPointer(r1 + 2 * ow).loadUnaligned(as: SIMD16<Float>.self)
                let base = I(repeating: Int32(truncatingIfNeeded: 2 * oh * W + 2 * ow)) &+ lane
                // Taps in PyTorch's order (row-major in the window): first maximum wins, NaN wins.
                var best = a.evenHalf, index = base
                @inline(__always) func consider(_ v: V, _ offset: Int32) {
                    let take = (v .> best) .| (v .!= v)
                    best.replace(with: v, where: take)
                    index.replace(with: base &+ offset, where: take)
                }
                consider(a.oddHalf, 1)
                consider(b.evenHalf, Int32(W))
                consider(b.oddHalf, Int32(W + 1))
                UnsafeMutableRawPointer(y + oh * OW + ow).storeBytes(of: best, as: V.self)
                UnsafeMutableRawPointer(ix + oh * OW + ow).storeBytes(of: index, as: I.self)
                ow += 8
            }
        }
    }

    /// `halvePlane` four outputs at a time, for planes 8 to 15 pixels wide (LeNet's 10x10 → 5x5, where
    /// the general path's per-element branches cost 15% of a training step). Needs `W/2 ≥ 4`.
    /// A copy of `halvePlane` at half width on purpose: one version generic over the SIMD types was
    /// not specialised and made LeNet-5's training step 1.8x slower (measured).
    @inline(__always)
    static func halvePlaneNarrow(_ x: UnsafePointer<Float>, H: Int, W: Int, _ y: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>) {
        typealias V = SIMD4<Float>
        typealias I = SIMD4<Int32>
        let OH = H / 2, OW = W / 2
        let lane = I(0, 2, 4, 6)
        for oh in 0..<OH {
            let r0 = x + 2 * oh * W, r1 = r0 + W
            var ow = 0
            while ow < OW {
                if ow + 4 > OW { ow = OW - 4 }
                let a = UnsafeRawPointer(r0 + 2 * ow).loadUnaligned(as: SIMD8<Float>.self)
                let b = UnsafeRawPointer(r1 + 2 * ow).loadUnaligned(as: SIMD8<Float>.self)
                let base = I(repeating: Int32(truncatingIfNeeded: 2 * oh * W + 2 * ow)) &+ lane
                var best = a.evenHalf, index = base
                @inline(__always) func consider(_ v: V, _ offset: Int32) {
                    let take = (v .> best) .| (v .!= v)
                    best.replace(with: v, where: take)
                    index.replace(with: base &+ offset, where: take)
                }
                consider(a.oddHalf, 1)
                consider(b.evenHalf, Int32(W))
                consider(b.oddHalf, Int32(W + 1))
                UnsafeMutableRawPointer(y + oh * OW + ow).storeBytes(of: best, as: V.self)
                UnsafeMutableRawPointer(ix + oh * OW + ow).storeBytes(of: index, as: I.self)
                ow += 4
            }
        }
    }

    /// For outputs `first..<last` of one row: where input `row[ow·stride + offset]` beats the
    /// running maximum (or is NaN), take it and its flat index `h·W + w`. Eight outputs at a time
    /// with vector compares and selects: a branch per element mispredicts on real activations
    /// (measured 26 ms vs 4.7 ms on the same 1.2M-element pooling).
    @inline(__always)
    static func tap(_ row: UnsafePointer<Float>, h: Int, W: Int, from first: Int, to last: Int, stride: Int, offset: Int,
                    _ y: UnsafeMutablePointer<Float>, _ ix: UnsafeMutablePointer<Int32>) {
        typealias V = SIMD8<Float>
        typealias I = SIMD8<Int32>
        let lane = I(0, 1, 2, 3, 4, 5, 6, 7)
        var ow = first
        while ow + 8 <= last {
            let w0 = ow * stride + offset
            var v = V()
            for k in 0..<8 { v[k] = row[w0 + k * stride] }
            let best = UnsafeRawPointer(y + ow).loadUnaligned(as: V.self)
            let take = (v .> best) .| (v .!= v)
            UnsafeMutableRawPointer(y + ow).storeBytes(of: best.replacing(with: v, where: take), as: V.self)
            let index = I(repeating: Int32(truncatingIfNeeded: h * W + w0)) &+ lane &* Int32(stride)
            let old = UnsafeRawPointer(ix + ow).loadUnaligned(as: I.self)
            UnsafeMutableRawPointer(ix + ow).storeBytes(of: old.replacing(with: index, where: take), as: I.self)
            ow += 8
        }
        while ow < last {
            let w = ow * stride + offset
            let v = row[w]
            if v > y[ow] || v.isNaN { y[ow] = v; ix[ow] = Int32(truncatingIfNeeded: h * W + w) }
            ow += 1
        }
    }

    /// Routes each `gradOutput (N, C, OH, OW)` element to the input position its index names;
    /// overlapping windows add. Overwrites `gradInput (N, C, H, W)`. One worker owns each plane, so
    /// the additions happen in a fixed order.
    public static func backward(_ g: Pool2dGeometry, gradOutput: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
                                gradInput: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid pooling geometry")
        let planeIn = g.inHeight * g.inWidth, planeOut = g.outHeight * g.outWidth
        Parallel.forRanges(g.batch * g.channels, minimumPerChunk: max(1, 8192 / max(planeIn, 1))) { planes in
            for p in planes {
                let dx = gradInput + p * planeIn, dy = gradOutput + p * planeOut, ix = indices + p * planeOut
                dx.update(repeating: 0, count: planeIn)
                for i in 0..<planeOut { dx[Int(ix[i])] += dy[i] }
            }
        }
    }
}
