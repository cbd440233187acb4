import FoveaKernels
import FoveaTensor

/// `y = x·Wᵀ + b`: x `(N, in)`, weight `(out, in)` (PyTorch's layout), bias `(out)`, y `(N, out)`.
///
/// Backward: `dx = dy·W`, `dW = dyᵀ·x`, `db = Σₙ dy`, each one GEMM.
public func linear(_ x: Variable, weight: Variable, bias: Variable?, label: String = "linear") throws -> Variable {
    guard x.shape.count == 2, weight.shape.count == 2, x.shape[1] == weight.shape[1] else {
        throw ShapeError(layer: label, expected: "input (N, \(weight.shape.last ?? 0))", actual: x.shape)
    }
    if let bias, bias.shape != [weight.shape[0]] {
        throw ShapeError(layer: label, expected: "bias of shape [\(weight.shape[0])]", actual: bias.shape)
    }
    let n = x.shape[0], inF = x.shape[1], outF = weight.shape[0]
    let xv = x.value, wv = weight.value
    var out = Tensor(shape: [n, outF])
    if let b = bias?.value {
        out.withUnsafeMutablePointer { y in b.withUnsafePointer { bp in for r in 0..<n { (y + r * outF).update(from: bp, count: outF) } } }
    }
    out.withUnsafeMutablePointer { y in
        xv.withUnsafePointer { xp in
            wv.withUnsafePointer { wp in
                GEMM.sgemm(transA: false, transB: true, m: n, n: outF, k: inF, alpha: 1, a: xp, lda: inF,
                           b: wp, ldb: inF, beta: bias == nil ? 0 : 1, c: y, ldc: outF)
            }
        }
    }
    let parents = [x, weight] + (bias.map { [$0] } ?? [])
    return Variable(out, op: label, parents: parents) { g in
        g.withUnsafePointer { gp in
            if x.requiresGrad {
                x.accumulate(Tensor(shape: [n, inF]) { dx in
                    wv.withUnsafePointer { wp in
                        GEMM.sgemm(transA: false, transB: false, m: n, n: inF, k: outF, alpha: 1, a: gp, lda: outF,
                                   b: wp, ldb: inF, beta: 0, c: dx.baseAddress!, ldc: inF)
                    }
                })
            }
            if weight.requiresGrad {
                weight.accumulate(Tensor(shape: [outF, inF]) { dw in
                    xv.withUnsafePointer { xp in
                        GEMM.sgemm(transA: true, transB: false, m: outF, n: inF, k: n, alpha: 1, a: gp, lda: outF,
                                   b: xp, ldb: inF, beta: 0, c: dw.baseAddress!, ldc: inF)
                    }
                })
            }
            if let bias, bias.requiresGrad {
                bias.accumulate(Tensor(shape: [outF]) { db in
                    for j in 0..<outF { db[j] = 0 }
                    for r in 0..<n { for j in 0..<outF { db[j] += gp[r * outF + j] } }
                })
            }
        }
    }
}
