import FoveaKernels
import FoveaTensor

/// Batch normalization over `(N, C, H, W)` per channel (Ioffe & Szegedy 2015).
///
/// Training normalises with the batch's statistics and updates the running estimates like PyTorch:
/// `running = (1 − momentum)·running + momentum·batch`, with the *unbiased* batch variance
/// (`n/(n−1)`, n = N·H·W). Evaluation normalises with the running estimates, which are then constants.
public func batchNorm2d(_ x: Variable, weight: Variable?, bias: Variable?, runningMean: inout Tensor, runningVariance: inout Tensor,
                        training: Bool, momentum: Float = 0.1, eps: Float = 1e-5, label: String = "batch_norm") throws -> Variable {
    guard x.shape.count == 4 || x.shape.count == 2 else {
        throw ShapeError(layer: label, expected: "input (N, \(runningMean.count), H, W)", actual: x.shape)
    }
    let n = x.shape[0], c = x.shape[1], s = x.shape.count == 4 ? x.shape[2] * x.shape[3] : 1
    guard c == runningMean.count else {
        throw ShapeError(layer: label, expected: "input (N, \(runningMean.count), H, W)", actual: x.shape)
    }
    let xv = x.value, wv = weight?.value, bv = bias?.value
    let parents = [x] + [weight, bias].compactMap { $0 }
    if training {
        guard n * s > 1 else {
            throw ShapeError(layer: label, expected: "more than 1 value per channel when training", actual: x.shape)
        }
        var mean = Tensor(shape: [c]), variance = Tensor(shape: [c]), invStd = Tensor(shape: [c])
        let out = Tensor(shape: xv.shape) { o in  // every element written: no zero fill
            Tensor.withUnsafePointers([xv, wv, bv]) { p in
                mean.withUnsafeMutablePointer { m in variance.withUnsafeMutablePointer { v in invStd.withUnsafeMutablePointer { r in
                    BatchNorm2d.forwardTraining(batch: n, channels: c, spatial: s, input: p[0]!, weight: p[1], bias: p[2], eps: eps,
                                                output: o.baseAddress!, saveMean: m, saveVariance: v, saveInvStd: r)
                } } }
            }
        }
        let unbiased = Float(n * s) / Float(n * s - 1)
        for i in 0..<c {
            runningMean.storage[i] = (1 - momentum) * runningMean.storage[i] + momentum * mean.storage[i]
            runningVariance.storage[i] = (1 - momentum) * runningVariance.storage[i] + momentum * variance.storage[i] * unbiased
        }
        return Variable(out, op: label, parents: parents) { grad in
            var dw = wv.map { Tensor(shape: $0.shape) }, db = bv.map { Tensor(shape: $0.shape) }
            let dx = Tensor(shape: xv.shape) { dxp in  // overwritten by the kernel
                Tensor.withUnsafePointers([xv, grad, wv, mean, invStd]) { p in
                    withOptionalMutablePointer(&dw) { dwp in withOptionalMutablePointer(&db) { dbp in
                        BatchNorm2d.backwardTraining(batch: n, channels: c, spatial: s, input: p[0]!, gradOutput: p[1]!, weight: p[2],
                                                     saveMean: p[3]!, saveInvStd: p[4]!, gradInput: dxp.baseAddress!, gradWeight: dwp, gradBias: dbp)
                    } }
                }
            }
            x.accumulate(dx)
            if let weight, let dw { weight.accumulate(dw) }
            if let bias, let db { bias.accumulate(db) }
        }
    }
    let rm = runningMean, rv = runningVariance
    let out = Tensor(shape: xv.shape) { o in
        Tensor.withUnsafePointers([xv, wv, bv, rm, rv]) { p in
            BatchNorm2d.forwardInference(batch: n, channels: c, spatial: s, input: p[0]!, weight: p[1], bias: p[2],
                                         runningMean: p[3]!, runningVariance: p[4]!, eps: eps, output: o.baseAddress!)
        }
    }
    return Variable(out, op: label, parents: parents) { grad in
        var dx = Tensor(shape: xv.shape)
        var dw = wv.map { Tensor(shape: $0.shape) }, db = bv.map { Tensor(shape: $0.shape) }
        Tensor.withUnsafePointers([xv, grad, wv, rm, rv]) { p in
            dx.withUnsafeMutablePointer { dxp in withOptionalMutablePointer(&dw) { dwp in withOptionalMutablePointer(&db) { dbp in
                BatchNorm2d.backwardInference(batch: n, channels: c, spatial: s, input: p[0]!, gradOutput: p[1]!, weight: p[2],
                                              runningMean: p[3]!, runningVariance: p[4]!, eps: eps, gradInput: dxp, gradWeight: dwp, gradBias: dbp)
            } } }
        }
        x.accumulate(dx)
        if let weight, let dw { weight.accumulate(dw) }
        if let bias, let db { bias.accumulate(db) }
    }
}

/// Layer normalization over the channels of `(N, C, H, W)` at every position, as ConvNeXt uses
/// (`LayerNorm2d` in torchvision: permute to NHWC, normalise over C, permute back).
public func layerNorm2d(_ x: Variable, weight: Variable?, bias: Variable?, eps: Float = 1e-6, label: String = "layer_norm") throws -> Variable {
    guard x.shape.count == 4 || x.shape.count == 2 else { throw ShapeError(layer: label, expected: "input (N, C, H, W)", actual: x.shape) }
    let n = x.shape[0], c = x.shape[1], s = x.shape.count == 4 ? x.shape[2] * x.shape[3] : 1
    if let weight, weight.shape != [c] { throw ShapeError(layer: label, expected: "input (N, \(weight.shape.first ?? 0), H, W)", actual: x.shape) }
    let xv = x.value, wv = weight?.value, bv = bias?.value
    var mean = Tensor(shape: [n * s]), invStd = Tensor(shape: [n * s])
    var out = Tensor(shape: xv.shape)
    Tensor.withUnsafePointers([xv, wv, bv]) { p in
        out.withUnsafeMutablePointer { o in mean.withUnsafeMutablePointer { m in invStd.withUnsafeMutablePointer { r in
            LayerNorm2d.forward(batch: n, channels: c, spatial: s, input: p[0]!, weight: p[1], bias: p[2], eps: eps, output: o,
                                saveMean: m, saveInvStd: r)
        } } }
    }
    return Variable(out, op: label, parents: [x] + [weight, bias].compactMap { $0 }) { grad in
        var dx = Tensor(shape: xv.shape)
        var dw = wv.map { Tensor(shape: $0.shape) }, db = bv.map { Tensor(shape: $0.shape) }
        Tensor.withUnsafePointers([xv, grad, wv, mean, invStd]) { p in
            dx.withUnsafeMutablePointer { dxp in withOptionalMutablePointer(&dw) { dwp in withOptionalMutablePointer(&db) { dbp in
                LayerNorm2d.backward(batch: n, channels: c, spatial: s, input: p[0]!, gradOutput: p[1]!, weight: p[2],
                                     saveMean: p[3]!, saveInvStd: p[4]!, gradInput: dxp, gradWeight: dwp, gradBias: dbp)
            } } }
        }
        x.accumulate(dx)
        if let weight, let dw { weight.accumulate(dw) }
        if let bias, let db { bias.accumulate(db) }
    }
}
