import FoveaTensor

/// Stochastic gradient descent with momentum (Polyak; Nesterov as in Sutskever et al. 2013) and
/// L2 weight decay, exactly `torch.optim.SGD`:
/// `g += wd·p;  b = μ·b + (1 − dampening)·g (b = g at the first step);  g = nesterov ? g + μ·b : b;  p −= lr·g`.
public final class SGD: ParameterGroup, Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public let dampening: Float, weightDecay: Float, nesterov: Bool

    public init(_ parameters: [NamedParameter], learningRate: Float, momentum: Float = 0,
                dampening: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) throws {
        guard learningRate >= 0, momentum >= 0, weightDecay >= 0 else {
            throw ConfigurationError(owner: "SGD", "learning rate, momentum and weight decay must be ≥ 0 (lr \(learningRate), momentum \(momentum), weight decay \(weightDecay))")
        }
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw ConfigurationError(owner: "SGD", "Nesterov momentum requires a momentum > 0 and zero dampening")
        }
        self.learningRate = learningRate; self.momentum = momentum; self.dampening = dampening
        self.weightDecay = weightDecay; self.nesterov = nesterov
        super.init(parameters, bufferKinds: ["momentum_buffer"])
    }

    /// Sets μ; an SGD built with momentum 0 keeps plain SGD.
    public func setMomentum(_ momentum: Float) {
        if self.momentum > 0 { self.momentum = momentum }
    }

    public func step() {
        let (lr, mu, damp, wd, nesterov) = (learningRate, momentum, dampening, weightDecay, self.nesterov)
        let first = stepCount == 0
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.variable.grad else { continue }
            let v = parameter.variable
            guard mu != 0 else {
                grad.withUnsafePointer { g in
                    v.value.withUnsafeMutablePointer { p in for i in 0..<grad.count { p[i] -= lr * (g[i] + wd * p[i]) } }
                }
                continue
            }
            var (buffer, created) = takeBuffer(0, index)
            let isNew = first || created
            grad.withUnsafePointer { g in
                v.value.withUnsafeMutablePointer { p in
                    buffer.withUnsafeMutablePointer { b in
                        for i in 0..<grad.count {
                            let d = g[i] + wd * p[i]
                            b[i] = isNew ? d : mu * b[i] + (1 - damp) * d
                            p[i] -= lr * (nesterov ? d + mu * b[i] : b[i])
                        }
                    }
                }
            }
            putBuffer(buffer, 0, index)
        }
        stepCount += 1
    }
}
