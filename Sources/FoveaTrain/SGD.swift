import FoveaTensor

/// Stochastic gradient descent with momentum (Polyak; Nesterov as in Sutskever et al. 2013) and
/// L2 weight decay, exactly `torch.optim.SGD`:
/// `g += wd·p;  b = μ·b + (1 − dampening)·g (b = g at the first step);  g = nesterov ? g + μ·b : b;  p −= lr·g`.
public final class SGD: ParameterGroup, Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public let dampening: Float, weightDecay: Float, nesterov: Bool

    public init(_ parameters: [(name: String, variable: Variable)], learningRate: Float, momentum: Float = 0,
                dampening: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) throws {
        guard learningRate >= 0, momentum >= 0, weightDecay >= 0 else {
            throw ConfigurationError(owner: "SGD", "learning rate, momentum and weight decay must be ≥ 0 (lr \(learningRate), momentum \(momentum), weight decay \(weightDecay))")
        }
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw ConfigurationError(owner: "SGD", "Nesterov momentum requires a momentum > 0 and zero dampening")
        }
        self.learningRate = learningRate; self.momentum = momentum; self.dampening = dampening
        self.weightDecay = weightDecay; self.nesterov = nesterov
        super.init(parameters)
    }

    public func step() {
        let (lr, mu, damp, wd, nesterov) = (learningRate, momentum, dampening, weightDecay, self.nesterov)
        let first = stepCount == 0
        forEachElement(parameters) { name, p, g, n in
            guard mu != 0 else {
                for i in 0..<n { p[i] -= lr * (g[i] + wd * p[i]) }
                return
            }
            let key = name + ".momentum_buffer"
            var buf = buffers[key] ?? Tensor(shape: [n])
            let isNew = first || buffers[key] == nil
            buf.withUnsafeMutablePointer { b in
                for i in 0..<n {
                    let d = g[i] + wd * p[i]
                    b[i] = isNew ? d : mu * b[i] + (1 - damp) * d
                    p[i] -= lr * (nesterov ? d + mu * b[i] : b[i])
                }
            }
            buffers[key] = buf
        }
        stepCount += 1
    }
}
