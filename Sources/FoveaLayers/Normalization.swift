import FoveaTensor

/// Batch normalization, `torch.nn.BatchNorm2d`: weight 1, bias 0, running mean 0, running variance 1,
/// momentum 0.1, eps 1e-5. Buffers `running_mean`, `running_var`, `num_batches_tracked`.
/// Throws `ConfigurationError` for non-positive channels or eps, or momentum outside [0, 1].
public final class BatchNorm2d: Module {
    public let weight: Variable
    public let bias: Variable
    public let runningMean: Buffer
    public let runningVariance: Buffer
    public let batchesTracked: Buffer
    public let momentum: Float, eps: Float

    public init(channels: Int, eps: Float = 1e-5, momentum: Float = 0.1) throws {
        guard channels > 0 else { throw ConfigurationError(owner: "BatchNorm2d", "channels must be positive, got \(channels)") }
        guard eps > 0 && eps.isFinite else { throw ConfigurationError(owner: "BatchNorm2d", "eps must be positive, got \(eps)") }
        guard momentum >= 0 && momentum <= 1 else {
            throw ConfigurationError(owner: "BatchNorm2d", "momentum must be in [0, 1], got \(momentum)")
        }
        weight = Variable(Tensor(shape: [channels], repeating: 1), requiresGrad: true)
        bias = Variable(Tensor(shape: [channels], repeating: 0), requiresGrad: true)
        runningMean = Buffer(Tensor(shape: [channels], repeating: 0))
        runningVariance = Buffer(Tensor(shape: [channels], repeating: 1))
        batchesTracked = Buffer(Tensor(shape: [], repeating: 0))
        self.momentum = momentum; self.eps = eps
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", bias)
        registerBuffer("running_mean", runningMean)
        registerBuffer("running_var", runningVariance)
        registerBuffer("num_batches_tracked", batchesTracked)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        let y = try batchNorm2d(x, weight: weight, bias: bias, runningMean: &runningMean.value, runningVariance: &runningVariance.value,
                                training: isTraining, momentum: momentum, eps: eps, label: label)
        if isTraining { batchesTracked.value.storage[0] += 1 }
        return y
    }
}

/// Layer normalization over channels of `(N, C, H, W)`, torchvision's ConvNeXt `LayerNorm2d`
/// (weight 1, bias 0, eps 1e-6).
public final class LayerNorm2d: Module {
    public let weight: Variable
    public let bias: Variable
    public let eps: Float

    public init(channels: Int, eps: Float = 1e-6) throws {
        guard channels > 0 else { throw ConfigurationError(owner: "LayerNorm2d", "channels must be positive, got \(channels)") }
        guard eps > 0 && eps.isFinite else { throw ConfigurationError(owner: "LayerNorm2d", "eps must be positive, got \(eps)") }
        weight = Variable(Tensor(shape: [channels], repeating: 1), requiresGrad: true)
        bias = Variable(Tensor(shape: [channels], repeating: 0), requiresGrad: true)
        self.eps = eps
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", bias)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try layerNorm2d(x, weight: weight, bias: bias, eps: eps, label: label)
    }
}
