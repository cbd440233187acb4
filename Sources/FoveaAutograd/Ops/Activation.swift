import FoveaKernels
import FoveaTensor

/// Applies an elementwise activation (ReLU, ReLU6, GELU (exact erf form), SiLU, hard-swish,
/// hard-sigmoid, sigmoid, tanh); its derivative uses PyTorch's conventions at the kinks.
public func activation(_ x: Variable, _ kind: ActivationKind) -> Variable {
    let xv = x.value
    let out = Tensor(shape: xv.shape) { o in
        xv.withUnsafePointer { Activations.forward(kind, input: $0, output: o.baseAddress!, count: o.count) }
    }
    return Variable(out, op: kind.rawValue, parents: [x]) { grad in
        x.accumulate(Tensor(shape: xv.shape) { dx in
            xv.withUnsafePointer { xp in
                out.withUnsafePointer { yp in
                    grad.withUnsafePointer { gp in
                        Activations.backward(kind, input: xp, output: yp, gradOutput: gp, gradInput: dx.baseAddress!, count: dx.count)
                    }
                }
            }
        })
    }
}

/// `max(x, 0)`.
public func relu(_ x: Variable) -> Variable { activation(x, .relu) }
/// `x·Φ(x)`, exact (erf) form.
public func gelu(_ x: Variable) -> Variable { activation(x, .gelu) }
/// `1 / (1 + e^(−x))`.
public func sigmoid(_ x: Variable) -> Variable { activation(x, .sigmoid) }
