import FoveaTensor

/// A `torch.nn.Linear` applied over the channels of `(N, C, H, W)` at every position:
/// `(N, in, H, W)` → `(N, out, H, W)`.
///
/// torchvision's ConvNeXt permutes to NHWC and applies `Linear` over the last dimension; Fovea
/// stays NCHW, where the same map is a 1x1 convolution whose weight is the linear weight viewed as
/// `(out, in, 1, 1)`. Parameters keep `Linear`'s names and shapes — `weight (out, in)`, `bias (out)` —
/// so torchvision checkpoints load unchanged. Initialised like `Linear` (U(−1/√in, 1/√in)).
public final class ChannelLinear: Module {
    public let weight: Variable
    public let bias: Variable?

    public init(inputFeatures inFeatures: Int, outputFeatures outFeatures: Int, bias: Bool = true, using rng: inout RandomGenerator) throws {
        (weight, self.bias) = try linearParameters("ChannelLinear", inFeatures, outFeatures, bias: bias, using: &rng)
        super.init()
        registerParameter("weight", weight)
        registerParameter("bias", self.bias)
    }

    public override func forward(_ x: Variable) throws -> Variable {
        let w = weight.shape
        return try conv2d(x, weight: reshape(weight, [w[0], w[1], 1, 1]), bias: bias, label: label)
    }
}
