import FoveaKernels
import FoveaTensor

/// Applies an elementwise activation (ReLU, ReLU6, GELU (exact erf form), SiLU, hard-swish,
/// hard-sigmoid, sigmoid, tanh); its derivative uses PyTorch's conventions at the kinks.
///
/// Inside `GuidedBackpropagation.during`, ReLU and ReLU6 record a guided backward instead (only
/// positive gradients pass); the flag is read when the op is recorded, so nothing stays on the model.
public func activation(_ x: Variable, _ kind: ActivationKind) -> Variable {
    let xv = x.value
    let guided = GuidedBackpropagation.isActive && (kind == .relu || kind == .relu6)
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
            if guided { for i in 0..<dx.count where !(dx[i] > 0) { dx[i] = 0 } }
        })
    }
}

/// `max(x, 0)`.
public func relu(_ x: Variable) -> Variable { activation(x, .relu) }
/// `x·Φ(x)`, exact (erf) form.
public func gelu(_ x: Variable) -> Variable { activation(x, .gelu) }
/// `1 / (1 + e^(−x))`.
public func sigmoid(_ x: Variable) -> Variable { activation(x, .sigmoid) }

/// Guided backpropagation (Springenberg et al. 2015, "Striving for Simplicity: The All
/// Convolutional Net", arXiv:1412.6806): ReLUs recorded inside `during` pass back only positive
/// gradients through positive inputs, `dx = [x > 0]·max(dy, 0)` — Captum's `GuidedBackprop` rule.
/// A task-local flag, so other tasks and later passes are unaffected.
public enum GuidedBackpropagation {
    @TaskLocal static var enabled = false

    /// True inside `during`.
    public static var isActive: Bool { enabled }

    /// Runs `body` (a forward pass) with guided ReLU backwards recorded.
    public static func during<R>(_ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(true) { try body() }
    }
}
