import FoveaKernels
import FoveaTensor

/// Convolution → batch norm (→ activation) as one step at inference: the norm and the activation
/// run in place on the convolution's fresh output, one plane at a time while it is in cache,
/// instead of as two more passes that each allocate a new tensor (for MobileNetV2 at batch 1 those
/// passes took ~13% of the time). The values equal the layer-by-layer ones.
///
/// Containers (`Sequential`, ResNet's blocks) take this path only when nothing can tell the
/// difference: evaluation mode, gradients off and no `ActivationCapture` listening (a capture
/// expects every layer's own output).
public enum InferenceFusion {
    /// Whether `module`'s children may be fused now.
    public static func applies(to module: Module) -> Bool {
        !module.isTraining && !GradMode.isEnabled && !ActivationCapture.isActive
    }

    /// `activation(norm(layer(x)))` with the norm in evaluation mode; nil `activation` stops after the norm.
    public static func convolution(_ x: Variable, _ layer: WeightedLayer, _ norm: BatchNorm2d, _ activation: ActivationKind?) throws -> Variable {
        let y = try layer.forward(x)
        let s = y.shape  // (N, C, H, W)
        guard s.count == 4, s[1] == norm.runningMean.value.count else { return try norm.forward(y) }
        let eps = norm.eps
        Tensor.withUnsafePointers([norm.weight.value, norm.bias.value, norm.runningMean.value, norm.runningVariance.value]) { p in
            // y was just made by the convolution: its storage is not shared, so this writes in place.
            y.value.withUnsafeMutablePointer { data in
                FoveaKernels.BatchNorm2d.inferenceEpilogue(
                    batch: s[0], channels: s[1], spatial: s[2] * s[3], data: data, weight: p[0]!, bias: p[1]!,
                    runningMean: p[2]!, runningVariance: p[3]!, eps: eps, activation: activation)
            }
        }
        return y
    }

    /// Runs `layers` in order like `Sequential`, fusing each weighted layer → BatchNorm2d (→
    /// elementwise activation) run into one `convolution` call.
    static func run(_ layers: [Module], on x: Variable) throws -> Variable {
        var y = x, i = 0
        while i < layers.count {
            if let weighted = layers[i] as? WeightedLayer, i + 1 < layers.count, let norm = layers[i + 1] as? BatchNorm2d {
                let activation = i + 2 < layers.count ? (layers[i + 2] as? Activation)?.kind : nil
                y = try convolution(y, weighted, norm, activation)
                i += activation == nil ? 2 : 3
            } else {
                y = try layers[i](y)
                i += 1
            }
        }
        return y
    }
}
