import FoveaKernels
import FoveaTensor

/// 2-D convolution (cross-correlation, as PyTorch): x `(N, C, H, W)`, weight `(O, C/groups, KH, KW)`,
/// bias `(O)`, output `(N, O, OH, OW)` with `OH = (H + 2·padding − dilation·(KH − 1) − 1)/stride + 1`.
///
/// Depthwise convolutions (groups = C = O) run on their own direct kernel; all others on im2col + GEMM.
public func conv2d(_ x: Variable, weight: Variable, bias: Variable?,
                   stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                   dilation: (Int, Int) = (1, 1), groups: Int = 1, label: String = "conv2d") throws -> Variable {
    let w = weight.shape
    guard w.count == 4 else { throw ShapeError(layer: label, expected: "weight (O, C/groups, KH, KW)", actual: w) }
    guard x.shape.count == 4, x.shape[1] == w[1] * groups else {
        throw ShapeError(layer: label, expected: "input (N, \(w[1] * groups), H, W)", actual: x.shape)
    }
    if let bias, bias.shape != [w[0]] {
        throw ShapeError(layer: label, expected: "bias of shape [\(w[0])]", actual: bias.shape)
    }
    let g = Conv2dGeometry(batch: x.shape[0], inChannels: x.shape[1], inHeight: x.shape[2], inWidth: x.shape[3],
                           outChannels: w[0], kernelHeight: w[2], kernelWidth: w[3], strideH: stride.0, strideW: stride.1,
                           padH: padding.0, padW: padding.1, dilationH: dilation.0, dilationW: dilation.1, groups: groups)
    guard g.isValid else {
        let minH = dilation.0 * (w[2] - 1) + 1 - 2 * padding.0, minW = dilation.1 * (w[3] - 1) + 1 - 2 * padding.1
        throw ShapeError(layer: label, expected: "input at least \(max(minH, 1))x\(max(minW, 1)) (\(g))", actual: x.shape)
    }
    let xv = x.value, wv = weight.value
    let out = Tensor(shape: [g.batch, g.outChannels, g.outHeight, g.outWidth]) { o in
        xv.withUnsafePointer { xp in
            wv.withUnsafePointer { wp in
                withOptionalPointer(bias?.value) { bp in
                    Convolution.forward(g, input: xp, weight: wp, bias: bp, output: o.baseAddress!)
                }
            }
        }
    }
    let parents = [x, weight] + (bias.map { [$0] } ?? [])
    return Variable(out, op: label, parents: parents) { grad in
        grad.withUnsafePointer { gp in
            if x.requiresGrad {
                x.accumulate(Tensor(shape: xv.shape) { dx in
                    wv.withUnsafePointer { wp in
                        Convolution.backwardInput(g, gradOutput: gp, weight: wp, gradInput: dx.baseAddress!)
                    }
                })
            }
            if weight.requiresGrad || (bias?.requiresGrad ?? false) {
                var dw = Tensor(shape: wv.shape)
                var db = bias.map { Tensor(shape: $0.shape) }
                xv.withUnsafePointer { xp in
                    dw.withUnsafeMutablePointer { dwp in
                        withOptionalMutablePointer(&db) { dbp in
                            Convolution.backwardWeight(g, input: xp, gradOutput: gp, gradWeight: dwp, gradBias: dbp)
                        }
                    }
                }
                weight.accumulate(dw)
                if let bias, let db { bias.accumulate(db) }
            }
        }
    }
}

/// Calls `body` with a pointer to the tensor's storage, or nil.
func withOptionalPointer<R>(_ t: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let t else { return body(nil) }
    return t.withUnsafePointer { body($0) }
}

/// Calls `body` with a mutable pointer to the tensor's storage, or nil.
func withOptionalMutablePointer<R>(_ t: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard t != nil else { return body(nil) }
    return t!.withUnsafeMutablePointer { body($0) }
}
