import FoveaTensor

/// A 2-D convolution layer, `torch.nn.Conv2d`: input `(N, C, H, W)` → output `(N, O, OH, OW)` with
/// `OH = (H + 2·padding − dilation·(kernel − 1) − 1) / stride + 1`.
///
/// Parameters `weight (O, C/groups, KH, KW)` and `bias (O)`, initialised like PyTorch
/// (U(−1/√fanIn, 1/√fanIn), fanIn = C/groups·KH·KW). Depthwise when `groups == C == O`.
public final class Conv2d: Module {
    public let weight: Variable
    public let bias: Variable?
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), groups: Int

    public init(inputChannels inChannels: Int, outputChannels outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, using rng: inout RandomGenerator) throws {
        guard inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && dilation > 0 else {
            throw ConfigurationError(owner: "Conv2d", "sizes must be positive (in \(inChannels), out \(outChannels), kernel \(kernelSize), stride \(stride), dilation \(dilation))")
        }
        guard padding >= 0 else { throw ConfigurationError(owner: "Conv2d", "padding must not be negative, got \(padding)") }
        guard groups > 0 && inChannels % groups == 0 && outChannels % groups == 0 else {
            throw ConfigurationError(owner: "Conv2d", "groups \(groups) must divide in \(inChannels) and out \(outChannels) channels")
        }
        let fanIn = inChannels / groups * kernelSize * kernelSize
        weight = Variable(.pytorchDefault([outChannels, inChannels / groups, kernelSize, kernelSize], fanIn: fanIn, using: &rng), requiresGrad: true)
        self.bias = bias ? Variable(.pytorchDefault([outChannels], fanIn: fanIn, using: &rng), requiresGrad: true) : nil
        self.stride = (stride, stride); self.padding = (padding, padding); self.dilation = (dilation, dilation); self.groups = groups
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", self.bias)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups, label: label)
    }
}

/// A fully connected layer, `torch.nn.Linear`: `(N, in)` → `(N, out)`, `y = x·Wᵀ + b`.
public final class Linear: Module {
    public let weight: Variable
    public let bias: Variable?

    public init(inputFeatures inFeatures: Int, outputFeatures outFeatures: Int, bias: Bool = true, using rng: inout RandomGenerator) throws {
        (weight, self.bias) = try linearParameters("Linear", inFeatures, outFeatures, bias: bias, using: &rng)
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", self.bias)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try linear(x, weight: weight, bias: bias, label: label)
    }
}

/// `torch.nn.Linear`'s parameters, `weight (out, in)` and `bias (out)`, initialised U(−1/√in, 1/√in);
/// `owner` names the layer in the error for non-positive sizes.
func linearParameters(_ owner: String, _ inFeatures: Int, _ outFeatures: Int, bias: Bool,
                      using rng: inout RandomGenerator) throws -> (Variable, Variable?) {
    guard inFeatures > 0 && outFeatures > 0 else {
        throw ConfigurationError(owner: owner, "sizes must be positive (\(inFeatures) → \(outFeatures))")
    }
    let weight = Variable(.pytorchDefault([outFeatures, inFeatures], fanIn: inFeatures, using: &rng), requiresGrad: true)
    return (weight, bias ? Variable(.pytorchDefault([outFeatures], fanIn: inFeatures, using: &rng), requiresGrad: true) : nil)
}
