import FoveaTensor

// Elementwise add, subtract and multiply with broadcasting, and scaling.
//
// Broadcasting follows NumPy/PyTorch: shapes are right-aligned and each dimension of an operand is
// either equal to the result's or 1. The result has the larger operand's shape; the gradient of a
// broadcast operand is summed over the dimensions it was broadcast along.

/// `a + b` with broadcasting.
public func + (a: Variable, b: Variable) throws -> Variable {
    try broadcastBinary(a, b, op: "add", kind: .add, forward: { $0 + $1 }, gradA: { g, _, _ in g }, gradB: { g, _, _ in g })
}

/// `a − b` with broadcasting.
public func - (a: Variable, b: Variable) throws -> Variable {
    try broadcastBinary(a, b, op: "sub", kind: .subtract, forward: { $0 - $1 }, gradA: { g, _, _ in g }, gradB: { g, _, _ in -g })
}

/// `a · b` elementwise with broadcasting (squeeze-excitation scaling, layer scale).
public func * (a: Variable, b: Variable) throws -> Variable {
    try broadcastBinary(a, b, op: "mul", kind: .multiply, forward: { $0 * $1 }, gradA: { g, _, y in g * y }, gradB: { g, x, _ in g * x })
}

/// `s · a` for a constant `s`.
public func * (s: Float, a: Variable) -> Variable {
    let out = Tensor(shape: a.shape) { o in a.value.withUnsafePointer { x in for i in 0..<o.count { o[i] = s * x[i] } } }
    return Variable(out, op: "scale", parents: [a]) { g in
        a.accumulate(Tensor(shape: g.shape) { d in g.withUnsafePointer { gp in for i in 0..<d.count { d[i] = s * gp[i] } } })
    }
}

/// The shape both operands broadcast to, or a ShapeError naming `op`.
public func broadcastShape(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
    let rank = max(a.count, b.count)
    let pa = Array(repeating: 1, count: rank - a.count) + a
    let pb = Array(repeating: 1, count: rank - b.count) + b
    var out = [Int]()
    for (x, y) in zip(pa, pb) {
        guard x == y || x == 1 || y == 1 else {
            throw ShapeError(layer: op, expected: "shapes that broadcast with \(a)", actual: b)
        }
        out.append(max(x, y))
    }
    return out
}

/// For each element of a tensor of shape `out`, the flat index of the element of an operand of
/// shape `shape` (right-aligned, size-1 dimensions repeated) that broadcasts to it.
func broadcastIndex(_ shape: [Int], to out: [Int]) -> [Int] {
    let padded = Array(repeating: 1, count: out.count - shape.count) + shape
    var strides = [Int](repeating: 0, count: out.count)
    var s = 1
    for d in stride(from: out.count - 1, through: 0, by: -1) {
        strides[d] = padded[d] == 1 ? 0 : s
        s *= padded[d]
    }
    let total = out.reduce(1, *)
    var index = [Int](repeating: 0, count: total)
    var counter = [Int](repeating: 0, count: out.count)
    var flat = 0
    for i in 0..<total {
        index[i] = flat
        var d = out.count - 1
        while d >= 0 {
            counter[d] += 1
            flat += strides[d]
            if counter[d] < out[d] { break }
            flat -= strides[d] * counter[d]
            counter[d] = 0
            d -= 1
        }
    }
    return index
}

private func broadcastBinary(_ a: Variable, _ b: Variable, op: String, kind: BinaryKind,
                             forward: @escaping (Float, Float) -> Float,
                             gradA: @escaping (_ g: Float, _ a: Float, _ b: Float) -> Float,
                             gradB: @escaping (_ g: Float, _ a: Float, _ b: Float) -> Float) throws -> Variable {
    let shape = try broadcastShape(a.shape, b.shape, op: op)
    let av = a.value, bv = b.value
    if av.shape == shape && bv.shape == shape {
        // Same shapes: the residual add's fast path.
        let out = Tensor(shape: shape) { o in
            av.withUnsafePointer { x in bv.withUnsafePointer { y in kind.apply(x, y, o.baseAddress!, count: o.count, repeats: 1) } }
        }
        return Variable(out, op: op, parents: [a, b]) { g in
            // The residual add's backward hands g itself on (shared copy-on-write, no new tensor).
            switch kind {
            case .add:
                a.accumulate(g)
                b.accumulate(g)
            case .subtract:
                a.accumulate(g)
                if b.requiresGrad { b.accumulate(Tensor(shape: shape) { d in g.withUnsafePointer { gp in for i in 0..<d.count { d[i] = -gp[i] } } }) }
            case .multiply:
                g.withUnsafePointer { gp in
                    if a.requiresGrad { a.accumulate(Tensor(shape: shape) { d in bv.withUnsafePointer { kind.apply(gp, $0, d.baseAddress!, count: d.count, repeats: 1) } }) }
                    if b.requiresGrad { b.accumulate(Tensor(shape: shape) { d in av.withUnsafePointer { kind.apply(gp, $0, d.baseAddress!, count: d.count, repeats: 1) } }) }
                }
            }
        }
    }
    let out: Tensor
    // The full-shape operand first: add and multiply commute.
    let (full, block) = av.shape == shape || kind == .subtract ? (av, bv) : (bv, av)
    if full.shape == shape, let (inner, count) = blockBroadcast(block.shape, to: shape) {
        // The other operand (layer scale (C, 1, 1), a squeeze-excitation gate (N, C, 1, 1)) repeats
        // over runs of `inner` elements: no index tables.
        out = Tensor(shape: shape) { o in
            full.withUnsafePointer { x in block.withUnsafePointer { y in
                let outer = o.count / (inner * count)
                for r in 0..<outer {
                    for j in 0..<count {
                        let offset = (r * count + j) * inner
                        kind.apply(x + offset, y + j, o.baseAddress! + offset, count: inner, repeats: 0)
                    }
                }
            } }
        }
    } else {
        let ia = broadcastIndex(av.shape, to: shape), ib = broadcastIndex(bv.shape, to: shape)
        out = Tensor(shape: shape) { o in
            av.withUnsafePointer { x in bv.withUnsafePointer { y in for i in 0..<o.count { o[i] = forward(x[ia[i]], y[ib[i]]) } } }
        }
    }
    return Variable(out, op: op, parents: [a, b]) { g in
        // Index tables only when a gradient is wanted (never at inference).
        let ia = broadcastIndex(av.shape, to: shape), ib = broadcastIndex(bv.shape, to: shape)
        var da = Tensor(shape: av.shape), db = Tensor(shape: bv.shape)
        g.withUnsafePointer { gp in
            av.withUnsafePointer { x in
                bv.withUnsafePointer { y in
                    da.withUnsafeMutablePointer { dap in
                        db.withUnsafeMutablePointer { dbp in
                            for i in 0..<g.count {
                                let xa = x[ia[i]], yb = y[ib[i]]
                                dap[ia[i]] += gradA(gp[i], xa, yb)
                                dbp[ib[i]] += gradB(gp[i], xa, yb)
                            }
                        }
                    }
                }
            }
        }
        a.accumulate(da)
        b.accumulate(db)
    }
}

/// The elementwise binary ops, with loops the compiler can vectorise (a closure call per element cannot be).
enum BinaryKind {
    case add, subtract, multiply

    /// `z[i] = x[i] ∘ y[i·repeats]` for `i < count`: `repeats` 1 walks y alongside x, 0 holds y[0].
    @inline(__always)
    func apply(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>, count: Int, repeats: Int) {
        if repeats == 0 {
            let v = y[0]
            switch self {
            case .add: for i in 0..<count { z[i] = x[i] + v }
            case .subtract: for i in 0..<count { z[i] = x[i] - v }
            case .multiply: for i in 0..<count { z[i] = x[i] * v }
            }
        } else {
            switch self {
            case .add: for i in 0..<count { z[i] = x[i] + y[i] }
            case .subtract: for i in 0..<count { z[i] = x[i] - y[i] }
            case .multiply: for i in 0..<count { z[i] = x[i] * y[i] }
            }
        }
    }
}

/// When `shape` broadcast to `out` is a contiguous block of `out`'s dimensions with ones after it
/// (right-aligned: `(C, 1, 1)` or `(N, C, 1, 1)` against `(N, C, H, W)`), each of its `count`
/// elements covers a run of `inner` consecutive output elements, the runs cycling through the
/// elements in order: returns (inner, count). Nil for any other pattern.
func blockBroadcast(_ shape: [Int], to out: [Int]) -> (inner: Int, count: Int)? {
    let padded = Array(repeating: 1, count: out.count - shape.count) + shape
    guard let last = padded.lastIndex(where: { $0 != 1 }) else { return (out.reduce(1, *), 1) }
    var first = last
    while first > 0 && padded[first - 1] != 1 { first -= 1 }
    // Inside the block b matches out; before it b is 1 (it repeats), after it b is 1 (the run).
    guard padded[..<first].allSatisfy({ $0 == 1 }), (first...last).allSatisfy({ padded[$0] == out[$0] }) else { return nil }
    return (out[(last + 1)...].reduce(1, *), padded[first...last].reduce(1, *))
}
