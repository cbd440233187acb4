/// Contiguous-run reductions and affine maps used by the normalisation kernels.
///
/// Sums run in eight Float lanes (a short dependency chain and 8× less rounding drift than one
/// running sum); callers add the per-run results in Double. Fixed order, so results are deterministic.
enum PlaneReductions {
    typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// Σ x[i]. Two accumulators halve the add-latency chain.
    static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var acc = V(), acc2 = V(), i = 0
        while i + 16 <= n { acc += load(x + i); acc2 += load(x + i + 8); i += 16 }
        while i + 8 <= n { acc += load(x + i); i += 8 }
        var s = Double(acc.sum()) + Double(acc2.sum())
        while i < n { s += Double(x[i]); i += 1 }
        return s
    }

    /// Σ (x[i] − m)².
    static func sumSquaredDeviations(_ x: UnsafePointer<Float>, _ n: Int, from m: Float) -> Double {
        var acc = V(), i = 0
        let mv = V(repeating: m)
        while i + 8 <= n { let d = load(x + i) - mv; acc = d * d + acc; i += 8 }
        var s = Double(acc.sum())
        while i < n { let d = Double(x[i] - m); s += d * d; i += 1 }
        return s
    }

    /// (Σ g[i], Σ g[i]·(x[i] − m)): the two sums every normalisation backward needs.
    static func sumAndCenteredDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int,
                                  from m: Float) -> (Double, Double) {
        var a = V(), b = V(), i = 0
        let mv = V(repeating: m)
        while i + 8 <= n {
            let gv = load(g + i)
            a += gv
            b = gv * (load(x + i) - mv) + b
            i += 8
        }
        var s = Double(a.sum()), d = Double(b.sum())
        while i < n { s += Double(g[i]); d += Double(g[i]) * Double(x[i] - m); i += 1 }
        return (s, d)
    }

    /// y[i] = x[i]·scale + shift.
    static func affine(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                       scale: Float, shift: Float) {
        let sv = V(repeating: scale), tv = V(repeating: shift)
        var i = 0
        while i + 8 <= n { store(load(x + i) * sv + tv, y + i); i += 8 }
        while i < n { y[i] = x[i] * scale + shift; i += 1 }
    }
}
