/// The largest relative difference between two gradients, `|a − e| / max(|e|, floor)` over elements
/// (the floor keeps near-zero entries from dominating). Returns `.infinity` on a count mismatch.
public func maxRelativeError<T: BinaryFloatingPoint>(_ actual: [T], _ expected: [T], floor: Double = 1e-3) -> Double {
    guard actual.count == expected.count else { return .infinity }
    var worst = 0.0
    for i in actual.indices {
        let a = Double(actual[i]), e = Double(expected[i])
        let err = abs(a - e) / max(abs(e), floor)
        if err.isNaN { return .infinity }
        worst = max(worst, err)
    }
    return worst
}

/// Central finite differences of the scalar `f` at `x`: `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h` for each i.
/// Use Double: the truncation error is O(h²) and the rounding error O(ε/h).
public func numericalGradient(of f: ([Double]) -> Double, at x: [Double], step h: Double = 1e-5) -> [Double] {
    var x = x
    var grad = [Double](repeating: 0, count: x.count)
    for i in x.indices {
        let saved = x[i]
        x[i] = saved + h; let plus = f(x)
        x[i] = saved - h; let minus = f(x)
        x[i] = saved
        grad[i] = (plus - minus) / (2 * h)
    }
    return grad
}
