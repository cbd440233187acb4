import FoveaTensor

/// The sum of all elements, as a scalar (shape `[]`).
public func sum(_ x: Variable) -> Variable {
    let total = x.value.storage.reduce(0 as Double) { $0 + Double($1) }
    return Variable(Tensor(Float(total)), op: "sum", parents: [x]) { g in
        x.accumulate(Tensor(shape: x.shape, repeating: g.storage[0]))
    }
}

/// The mean of all elements, as a scalar (shape `[]`).
public func mean(_ x: Variable) -> Variable {
    let n = Float(max(x.value.count, 1))
    return (1 / n) * sum(x)
}
