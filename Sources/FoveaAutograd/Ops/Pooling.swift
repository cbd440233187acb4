import FoveaKernels
import FoveaTensor

private func poolGeometry(_ x: Variable, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), label: String) throws -> Pool2dGeometry {
    guard x.shape.count == 4 else { throw ShapeError(layer: label, expected: "input (N, C, H, W)", actual: x.shape) }
    let g = Pool2dGeometry(batch: x.shape[0], channels: x.shape[1], inHeight: x.shape[2], inWidth: x.shape[3],
                           kernelHeight: kernel.0, kernelWidth: kernel.1, strideH: stride.0, strideW: stride.1,
                           padH: padding.0, padW: padding.1)
    guard g.isValid else {
        throw ShapeError(layer: label, expected: "input at least \(kernel.0 - 2 * padding.0)x\(kernel.1 - 2 * padding.1) and padding ≤ kernel/2 (kernel \(kernel), stride \(stride), padding \(padding))", actual: x.shape)
    }
    return g
}

/// Max pooling: x `(N, C, H, W)` → `(N, C, OH, OW)`, `OH = (H + 2·padding − kernel)/stride + 1`.
/// The gradient flows to the position of each window's maximum.
public func maxPool2d(_ x: Variable, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0), label: String = "max_pool2d") throws -> Variable {
    let g = try poolGeometry(x, kernel: kernel, stride: stride, padding: padding, label: label)
    guard GradMode.isEnabled && x.requiresGrad else {
        // Nothing will flow back: skip choosing and storing the indices.
        let out = Tensor(shape: [g.batch, g.channels, g.outHeight, g.outWidth]) { o in
            x.value.withUnsafePointer { MaxPool2d.forwardValues(g, input: $0, output: o.baseAddress!) }
        }
        return Variable(out, op: label, parents: [])  { _ in }
    }
    var indices = [Int32](repeating: 0, count: g.outputCount)
    let out = Tensor(shape: [g.batch, g.channels, g.outHeight, g.outWidth]) { o in
        x.value.withUnsafePointer { xp in
            indices.withUnsafeMutableBufferPointer { ip in MaxPool2d.forward(g, input: xp, output: o.baseAddress!, indices: ip.baseAddress!) }
        }
    }
    return Variable(out, op: label, parents: [x]) { grad in
        x.accumulate(Tensor(shape: x.shape) { dx in
            grad.withUnsafePointer { gp in
                indices.withUnsafeBufferPointer { ip in MaxPool2d.backward(g, gradOutput: gp, indices: ip.baseAddress!, gradInput: dx.baseAddress!) }
            }
        })
    }
}

/// Average pooling (PyTorch's `count_include_pad` semantics): x `(N, C, H, W)` → `(N, C, OH, OW)`.
public func avgPool2d(_ x: Variable, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0),
                      countIncludePad: Bool = true, label: String = "avg_pool2d") throws -> Variable {
    let g = try poolGeometry(x, kernel: kernel, stride: stride, padding: padding, label: label)
    let out = Tensor(shape: [g.batch, g.channels, g.outHeight, g.outWidth]) { o in
        x.value.withUnsafePointer { xp in AvgPool2d.forward(g, countIncludePad: countIncludePad, input: xp, output: o.baseAddress!) }
    }
    return Variable(out, op: label, parents: [x]) { grad in
        x.accumulate(Tensor(shape: x.shape) { dx in
            grad.withUnsafePointer { gp in AvgPool2d.backward(g, countIncludePad: countIncludePad, gradOutput: gp, gradInput: dx.baseAddress!) }
        })
    }
}

/// Adaptive average pooling to a fixed `(OH, OW)` (global average pooling when `(1, 1)`), with
/// PyTorch's bins `[⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉)`.
public func adaptiveAvgPool2d(_ x: Variable, outputSize: (Int, Int), label: String = "adaptive_avg_pool2d") throws -> Variable {
    guard x.shape.count == 4, x.shape[2] > 0, x.shape[3] > 0, outputSize.0 > 0, outputSize.1 > 0 else {
        throw ShapeError(layer: label, expected: "input (N, C, H, W) with H, W > 0 and output size > 0", actual: x.shape)
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = outputSize
    let out = Tensor(shape: [n, c, oh, ow]) { o in
        x.value.withUnsafePointer { xp in
            AdaptiveAvgPool2d.forward(batch: n, channels: c, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, input: xp, output: o.baseAddress!)
        }
    }
    return Variable(out, op: label, parents: [x]) { grad in
        x.accumulate(Tensor(shape: x.shape) { dx in
            grad.withUnsafePointer { gp in
                AdaptiveAvgPool2d.backward(batch: n, channels: c, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, gradOutput: gp, gradInput: dx.baseAddress!)
            }
        })
    }
}
