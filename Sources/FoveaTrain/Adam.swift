import FoveaTensor

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), exactly `torch.optim.Adam` /
/// `torch.optim.AdamW`: Adam adds `wd·p` to the gradient (L2); AdamW decays the weights directly,
/// `p ← p·(1 − lr·wd)`, before the Adam update
/// `p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)`.
public final class Adam: ParameterGroup, Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public let beta2: Float, eps: Float, weightDecay: Float
    /// True for AdamW's decoupled weight decay.
    public let decoupledWeightDecay: Bool

    public init(_ parameters: [(name: String, variable: Variable)], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) throws {
        guard learningRate >= 0, eps >= 0, weightDecay >= 0, (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw ConfigurationError(owner: decoupledWeightDecay ? "AdamW" : "Adam",
                                     "need lr ≥ 0, eps ≥ 0, weight decay ≥ 0 and betas in [0, 1) (lr \(learningRate), betas (\(beta1), \(beta2)), weight decay \(weightDecay))")
        }
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
        self.weightDecay = weightDecay; self.decoupledWeightDecay = decoupledWeightDecay
        super.init(parameters)
    }

    /// AdamW with PyTorch's defaults (weight decay 0.01).
    public static func adamW(_ parameters: [(name: String, variable: Variable)], learningRate: Float = 1e-3, beta1: Float = 0.9,
                             beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 1e-2) throws -> Adam {
        try Adam(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        stepCount += 1
        let t = Float(stepCount)
        let (lr, b1, b2, eps, wd, decoupled) = (learningRate, beta1, beta2, self.eps, weightDecay, decoupledWeightDecay)
        let stepSize = lr / (1 - pow(b1, t))
        let correction2 = (1 - pow(b2, t)).squareRoot()
        forEachElement(parameters) { name, p, g, n in
            var m = buffers[name + ".exp_avg"] ?? Tensor(shape: [n])
            var v = buffers[name + ".exp_avg_sq"] ?? Tensor(shape: [n])
            m.withUnsafeMutablePointer { mp in
                v.withUnsafeMutablePointer { vp in
                    for i in 0..<n {
                        var gi = g[i]
                        if decoupled { p[i] *= 1 - lr * wd } else { gi += wd * p[i] }
                        mp[i] = b1 * mp[i] + (1 - b1) * gi
                        vp[i] = b2 * vp[i] + (1 - b2) * gi * gi
                        p[i] -= stepSize * mp[i] / (vp[i].squareRoot() / correction2 + eps)
                    }
                }
            }
            buffers[name + ".exp_avg"] = m
            buffers[name + ".exp_avg_sq"] = v
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
