import FoveaTensor

/// The same elements under a new shape (`-1` infers one dimension); the gradient is reshaped back.
public func reshape(_ x: Variable, _ shape: [Int]) throws -> Variable {
    let out = try x.value.reshaped(shape)
    let inShape = x.shape
    return Variable(out, op: "reshape", parents: [x]) { g in
        x.accumulate(Tensor(shape: inShape, storage: g.storage))
    }
}

/// Flattens dimensions from `startDim` on: `(N, C, H, W)` → `(N, C·H·W)` (torch.flatten(x, 1)).
public func flatten(_ x: Variable, startDim: Int = 1) throws -> Variable {
    guard startDim >= 0, startDim < max(x.shape.count, 1) else {
        throw ShapeError(layer: "flatten", expected: "a tensor with more than \(startDim) dimensions", actual: x.shape)
    }
    return try reshape(x, Array(x.shape.prefix(startDim)) + [x.shape.dropFirst(startDim).reduce(1, *)])
}

/// Concatenates along `dim` (channels by default); all other dimensions must agree.
public func concat(_ xs: [Variable], dim: Int = 1) throws -> Variable {
    guard let first = xs.first else { throw ShapeError(layer: "concat", expected: "at least one input", actual: []) }
    let rank = first.shape.count
    guard dim >= 0, dim < rank else { throw ShapeError(layer: "concat", expected: "dim < rank \(rank)", actual: [dim]) }
    for x in xs where x.shape.count != rank || (0..<rank).contains(where: { $0 != dim && x.shape[$0] != first.shape[$0] }) {
        throw ShapeError(layer: "concat", expected: "shapes equal to \(first.shape) except in dimension \(dim)", actual: x.shape)
    }
    let outer = first.shape.prefix(dim).reduce(1, *)
    let inner = first.shape.dropFirst(dim + 1).reduce(1, *)
    let sizes = xs.map { $0.shape[dim] * inner }
    let rowLength = sizes.reduce(0, +)
    var shape = first.shape
    shape[dim] = xs.map { $0.shape[dim] }.reduce(0, +)
    let out = Tensor(shape: shape) { o in
        var offset = 0
        for (x, size) in zip(xs, sizes) {
            x.value.withUnsafePointer { src in
                for r in 0..<outer { (o.baseAddress! + r * rowLength + offset).update(from: src + r * size, count: size) }
            }
            offset += size
        }
    }
    return Variable(out, op: "concat", parents: xs) { g in
        var offset = 0
        for (x, size) in zip(xs, sizes) {
            if x.requiresGrad {
                x.accumulate(Tensor(shape: x.shape) { d in
                    g.withUnsafePointer { gp in
                        for r in 0..<outer { (d.baseAddress! + r * size).update(from: gp + r * rowLength + offset, count: size) }
                    }
                })
            }
            offset += size
        }
    }
}
