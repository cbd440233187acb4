import FoveaKernels
import FoveaTensor

private func rowsCols(_ x: Variable, _ label: String) throws -> (Int, Int) {
    guard x.shape.count >= 1, let cols = x.shape.last, cols > 0 else {
        throw ShapeError(layer: label, expected: "a tensor with a non-empty last dimension", actual: x.shape)
    }
    return (x.value.count / cols, cols)
}

/// Softmax over the last dimension.
public func softmax(_ x: Variable) throws -> Variable {
    let (rows, cols) = try rowsCols(x, "softmax")
    let out = Tensor(shape: x.shape) { o in x.value.withUnsafePointer { Softmax.forward(rows: rows, cols: cols, input: $0, output: o.baseAddress!) } }
    return Variable(out, op: "softmax", parents: [x]) { grad in
        x.accumulate(Tensor(shape: x.shape) { dx in
            out.withUnsafePointer { y in grad.withUnsafePointer { g in Softmax.backward(rows: rows, cols: cols, output: y, gradOutput: g, gradInput: dx.baseAddress!) } }
        })
    }
}

/// Log-softmax over the last dimension (stable: subtracts the row maximum).
public func logSoftmax(_ x: Variable) throws -> Variable {
    let (rows, cols) = try rowsCols(x, "log_softmax")
    let out = Tensor(shape: x.shape) { o in x.value.withUnsafePointer { Softmax.logForward(rows: rows, cols: cols, input: $0, output: o.baseAddress!) } }
    return Variable(out, op: "log_softmax", parents: [x]) { grad in
        x.accumulate(Tensor(shape: x.shape) { dx in
            out.withUnsafePointer { y in grad.withUnsafePointer { g in Softmax.logBackward(rows: rows, cols: cols, output: y, gradOutput: g, gradInput: dx.baseAddress!) } }
        })
    }
}
