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

    public init(_ parameters: [NamedParameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) throws {
        guard learningRate >= 0, eps >= 0, weightDecay >= 0, (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw ConfigurationError(owner: decoupledWeightDecay ? "AdamW" : "Adam",
                                     "need lr ≥ 0, eps ≥ 0, weight decay ≥ 0 and betas in [0, 1) (lr \(learningRate), betas (\(beta1), \(beta2)), weight decay \(weightDecay))")
        }
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
        self.weightDecay = weightDecay; self.decoupledWeightDecay = decoupledWeightDecay
        super.init(parameters, bufferKinds: ["exp_avg", "exp_avg_sq"])
    }

    /// AdamW with PyTorch's defaults (weight decay 0.01).
    public static func adamW(_ parameters: [NamedParameter], learningRate: Float = 1e-3, beta1: Float = 0.9,
                             beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 1e-2) throws -> Adam {
        try Adam(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// Sets β₁, the role one-cycle gives momentum in Adam.
    public func setMomentum(_ momentum: Float) { beta1 = momentum }

    public func step() {
        stepCount += 1
        let t = Float(stepCount)
        let (lr, b1, b2, eps, wd, decoupled) = (learningRate, beta1, beta2, self.eps, weightDecay, decoupledWeightDecay)
        let stepSize = lr / (1 - pow(b1, t))
        let correction2 = (1 - pow(b2, t)).squareRoot()
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.variable.grad else { continue }
            let v = parameter.variable
            var m = takeBuffer(0, index).tensor, s = takeBuffer(1, index).tensor
            grad.withUnsafePointer { g in
                v.value.withUnsafeMutablePointer { p in
                    m.withUnsafeMutablePointer { mp in
                        s.withUnsafeMutablePointer { vp in
                            for i in 0..<grad.count {
                                var gi = g[i]
                                if decoupled { p[i] *= 1 - lr * wd } else { gi += wd * p[i] }
                                mp[i] = b1 * mp[i] + (1 - b1) * gi
                                vp[i] = b2 * vp[i] + (1 - b2) * gi * gi
                                p[i] -= stepSize * mp[i] / (vp[i].squareRoot() / correction2 + eps)
                            }
                        }
                    }
                }
            }
            putBuffer(m, 0, index)
            putBuffer(s, 1, index)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
