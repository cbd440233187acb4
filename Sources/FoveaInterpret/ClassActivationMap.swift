import FoveaTensor

/// Class activation maps over a convolutional layer's output `A (N, K, h, w)` and the gradient `G`
/// of the target score with respect to it — one forward and one backward pass per batch.
///
/// - Grad-CAM: Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via
///   Gradient-based Localization", arXiv:1610.02391. `cam = ReLU(Σ_k α_k A_k)`, `α_k = mean_hw G_k`.
/// - Grad-CAM++: Chattopadhay et al. 2018, "Grad-CAM++: Improved Visual Explanations for Deep
///   Convolutional Networks", arXiv:1710.11063. `α_k = Σ_hw ReLU(G)·a`, with the closed form
///   `a = G² / (2G² + Σ_hw A · G³)` (eq. 19 with the exponential output's derivatives written as
///   powers of the gradient; pytorch-grad-cam's form, eps 1e-6 in the denominator).
/// - HiResCAM: Draelos & Carin 2020, "Use HiResCAM instead of Grad-CAM for faithful explanations
///   of convolutional neural networks", arXiv:2011.08891. `cam = ReLU(Σ_k G_k ⊙ A_k)`.
public struct ClassActivationMap: LayerAttributionMethod {
    /// How channel weights are formed from the gradient.
    public enum Variant: String, Sendable, CaseIterable {
        case gradCAM = "gradcam"
        case gradCAMPlusPlus = "gradcam++"
        case hiResCAM = "hirescam"
    }

    public let variant: Variant
    /// The layer explained through.
    public let layer: LayerChoice

    public init(_ variant: Variant = .gradCAM, layer: LayerChoice = .automatic) {
        self.variant = variant
        self.layer = layer
    }

    public var kind: AttributionKind {
        switch variant {
        case .gradCAM: .gradCAM
        case .gradCAMPlusPlus: .gradCAMPlusPlus
        case .hiResCAM: .hiResCAM
        }
    }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        let (pass, chosen) = try explainer.gradients(input, targets: targets, layer: layer)
        let cams = classActivationMaps(activation: pass.activation!, gradient: pass.activationGradient!, variant: variant)
        return Attribution(method: kind, values: cams, targets: chosen, layer: pass.layer, reduction: .none)
    }
}

/// The CAM of each image: `(N, K, h, w)` activations and gradients → `(N, h, w)` maps, ReLU applied.
public func classActivationMaps(activation A: Tensor, gradient G: Tensor, variant: ClassActivationMap.Variant) -> Tensor {
    let (N, K, h, w) = (A.shape[0], A.shape[1], A.shape[2], A.shape[3])
    let hw = h * w
    var cam = Tensor(shape: [N, h, w])
    A.withUnsafePointer { a in
        G.withUnsafePointer { g in
            for n in 0..<N {
                var map = [Float](repeating: 0, count: hw)
                for k in 0..<K {
                    let base = (n * K + k) * hw
                    switch variant {
                    case .hiResCAM:
                        for p in 0..<hw { map[p] += g[base + p] * a[base + p] }
                    case .gradCAM:
                        var mean: Float = 0
                        for p in 0..<hw { mean += g[base + p] }
                        mean /= Float(hw)
                        for p in 0..<hw { map[p] += mean * a[base + p] }
                    case .gradCAMPlusPlus:
                        var sumA: Float = 0
                        for p in 0..<hw { sumA += a[base + p] }
                        var weight: Float = 0
                        for p in 0..<hw {
                            let g1 = g[base + p], g2 = g1 * g1, g3 = g2 * g1
                            let alpha = g1 != 0 ? g2 / (2 * g2 + sumA * g3 + 1e-6) : 0
                            weight += max(g1, 0) * alpha
                        }
                        for p in 0..<hw { map[p] += weight * a[base + p] }
                    }
                }
                for p in 0..<hw { cam.storage[n * hw + p] = max(map[p], 0) }
            }
        }
    }
    return cam
}
