import FoveaTensor

// Elementwise add, subtract and multiply with broadcasting, and scaling.
//
// Broadcasting follows NumPy/PyTorch: shapes are right-aligned and each dimension of an operand is
// either equal to the result's or 1. The result has the larger operand's shape; the gradient of a
// broadcast operand is summed over the dimensions it was broadcast along.

/// The elementwise operations with broadcasting.
enum ElementwiseOp: String { case add, sub, mul }

/// `a + b` with broadcasting.
public func + (a: Variable, b: Variable) throws -> Variable { try elementwise(a, b, .add) }

/// `a − b` with broadcasting.
public func - (a: Variable, b: Variable) throws -> Variable { try elementwise(a, b, .sub) }

/// `a · b` elementwise with broadcasting (squeeze-excitation scaling, layer scale).
public func * (a: Variable, b: Variable) throws -> Variable { try elementwise(a, b, .mul) }

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

/// How an operand broadcasts against the result when its (right-aligned) shape equals the result's
/// on one contiguous run of dimensions and is 1 elsewhere — every broadcast CNNs use: a channel
/// bias `(1, C, 1, 1)`, a squeeze-excitation scale `(N, C, 1, 1)`, a layer scale `(C, 1, 1)`.
/// Element `i` of the result then reads element `(i / inner) % mid` of the operand.
struct BroadcastPlan {
    var outer: Int, mid: Int, inner: Int

    init?(_ shape: [Int], to out: [Int]) {
        let padded = Array(repeating: 1, count: out.count - shape.count) + shape
        let matching = padded.indices.filter { padded[$0] == out[$0] && out[$0] != 1 }
        guard let first = matching.first, let last = matching.last else {
            // A single element broadcast everywhere.
            guard padded.allSatisfy({ $0 == 1 }) else { return nil }
            outer = out.reduce(1, *); mid = 1; inner = 1
            return
        }
        guard (first...last).allSatisfy({ padded[$0] == out[$0] }) else { return nil }
        outer = out[..<first].reduce(1, *)
        mid = out[first...last].reduce(1, *)
        inner = out[(last + 1)...].reduce(1, *)
    }
}

/// Same-shape and planned-broadcast cases run as plain loops; anything else through an index map.
private func elementwise(_ a: Variable, _ b: Variable, _ op: ElementwiseOp) throws -> Variable {
    let shape = try broadcastShape(a.shape, b.shape, op: op.rawValue)
    let av = a.value, bv = b.value
    if av.shape == shape && bv.shape == shape { return sameShape(a, b, op) }
    if av.shape == shape, let plan = BroadcastPlan(bv.shape, to: shape) { return planned(big: a, small: b, plan, op, bigFirst: true) }
    if bv.shape == shape, let plan = BroadcastPlan(av.shape, to: shape) { return planned(big: b, small: a, plan, op, bigFirst: false) }
    return indexed(a, b, shape, op)
}

/// The residual add's path: both operands have the result's shape.
private func sameShape(_ a: Variable, _ b: Variable, _ op: ElementwiseOp) -> Variable {
    let av = a.value, bv = b.value, n = av.count
    let out = Tensor(shape: av.shape) { o in
        av.withUnsafePointer { x in bv.withUnsafePointer { y in
            switch op {
            case .add: for i in 0..<n { o[i] = x[i] + y[i] }
            case .sub: for i in 0..<n { o[i] = x[i] - y[i] }
            case .mul: for i in 0..<n { o[i] = x[i] * y[i] }
            }
        } }
    }
    return Variable(out, op: op.rawValue, parents: [a, b]) { g in
        switch op {
        case .add:
            a.accumulate(g)
            b.accumulate(g)
        case .sub:
            a.accumulate(g)
            if b.requiresGrad { b.accumulate(Tensor(shape: g.shape) { d in g.withUnsafePointer { gp in for i in 0..<n { d[i] = -gp[i] } } }) }
        case .mul:
            g.withUnsafePointer { gp in
                if a.requiresGrad { a.accumulate(Tensor(shape: g.shape) { d in bv.withUnsafePointer { y in for i in 0..<n { d[i] = gp[i] * y[i] } } }) }
                if b.requiresGrad { b.accumulate(Tensor(shape: g.shape) { d in av.withUnsafePointer { x in for i in 0..<n { d[i] = gp[i] * x[i] } } }) }
            }
        }
    }
}

/// `big ∘ small` (or `small ∘ big` when `!bigFirst`) where `small` broadcasts by `plan`.
private func planned(big: Variable, small: Variable, _ plan: BroadcastPlan, _ op: ElementwiseOp, bigFirst: Bool) -> Variable {
    let xv = big.value, sv = small.value
    let (mid, inner) = (plan.mid, plan.inner)
    let blocks = plan.outer * mid
    // Subtraction with the small operand first is −(big − small).
    let sign: Float = (op == .sub && !bigFirst) ? -1 : 1
    let out = Tensor(shape: xv.shape) { o in
        xv.withUnsafePointer { x in sv.withUnsafePointer { sp in
            for block in 0..<blocks {
                let v = sp[block % mid], base = block * inner
                switch op {
                case .add: for k in 0..<inner { o[base + k] = x[base + k] + v }
                case .sub: for k in 0..<inner { o[base + k] = sign * (x[base + k] - v) }
                case .mul: for k in 0..<inner { o[base + k] = x[base + k] * v }
                }
            }
        } }
    }
    let parents = bigFirst ? [big, small] : [small, big]
    return Variable(out, op: op.rawValue, parents: parents) { g in
        g.withUnsafePointer { gp in
            if big.requiresGrad {
                switch op {
                case .add: big.accumulate(g)
                case .sub: big.accumulate(sign == 1 ? g : Tensor(shape: g.shape) { d in for i in 0..<d.count { d[i] = -gp[i] } })
                case .mul:
                    big.accumulate(Tensor(shape: g.shape) { d in sv.withUnsafePointer { sp in
                        for block in 0..<blocks {
                            let v = sp[block % mid], base = block * inner
                            for k in 0..<inner { d[base + k] = gp[base + k] * v }
                        }
                    } })
                }
            }
            if small.requiresGrad {
                // Sum the result's gradient over the broadcast dimensions, in a fixed order.
                var ds = Tensor(shape: sv.shape)
                ds.withUnsafeMutablePointer { dp in xv.withUnsafePointer { x in
                    for block in 0..<blocks {
                        let base = block * inner
                        var acc: Float = 0
                        switch op {
                        case .add: for k in 0..<inner { acc += gp[base + k] }
                        case .sub: for k in 0..<inner { acc -= gp[base + k] }
                        case .mul: for k in 0..<inner { acc += gp[base + k] * x[base + k] }
                        }
                        dp[block % mid] += acc
                    }
                } }
                if op == .sub && !bigFirst { let n = ds.count; ds.withUnsafeMutablePointer { dp in for i in 0..<n { dp[i] = -dp[i] } } }
                small.accumulate(ds)
            }
        }
    }
}

/// The general case: both operands broadcast; each result element reads through an index map.
private func indexed(_ a: Variable, _ b: Variable, _ shape: [Int], _ op: ElementwiseOp) -> Variable {
    let av = a.value, bv = b.value
    let ia = broadcastIndex(av.shape, to: shape), ib = broadcastIndex(bv.shape, to: shape)
    func f(_ x: Float, _ y: Float) -> Float { op == .add ? x + y : op == .sub ? x - y : x * y }
    let out = Tensor(shape: shape) { o in
        av.withUnsafePointer { x in bv.withUnsafePointer { y in for i in 0..<o.count { o[i] = f(x[ia[i]], y[ib[i]]) } } }
    }
    return Variable(out, op: op.rawValue, parents: [a, b]) { g in
        var da = Tensor(shape: av.shape), db = Tensor(shape: bv.shape)
        g.withUnsafePointer { gp in av.withUnsafePointer { x in bv.withUnsafePointer { y in
            da.withUnsafeMutablePointer { dap in db.withUnsafeMutablePointer { dbp in
                for i in 0..<g.count {
                    switch op {
                    case .add: dap[ia[i]] += gp[i]; dbp[ib[i]] += gp[i]
                    case .sub: dap[ia[i]] += gp[i]; dbp[ib[i]] -= gp[i]
                    case .mul: dap[ia[i]] += gp[i] * y[ib[i]]; dbp[ib[i]] += gp[i] * x[ia[i]]
                    }
                }
            } }
        } } }
        a.accumulate(da)
        b.accumulate(db)
    }
}
