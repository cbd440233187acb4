#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// Elements drawn uniformly from [low, high).
    public static func uniform(_ shape: [Int], low: Float, high: Float, using rng: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape) { buffer in
            for i in buffer.indices { buffer[i] = rng.nextUniform(low, high) }
        }
    }

    /// Elements drawn from N(mean, std²), two per Box–Muller pair (r·cos θ and r·sin θ) in Float
    /// arithmetic: building resnet152 or vgg19 draws hundreds of millions of them.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape) { buffer in
            var i = 0
            while i < buffer.count {
                // u1 in (0, 1] so the log is finite.
                let u1 = Float((rng.next() >> 40) + 1) * (1.0 / 16_777_216.0)
                let theta = 2 * Float.pi * rng.nextUnitFloat()
                let r = (-2 * logf(u1)).squareRoot()
                buffer[i] = mean + std * r * cosf(theta)
                if i + 1 < buffer.count { buffer[i + 1] = mean + std * r * sinf(theta) }
                i += 2
            }
        }
    }

    /// PyTorch's default initialisation of `Conv2d` and `Linear` weights and biases:
    /// `kaiming_uniform_(a: √5)` on the weight, which is U(−b, b) with b = 1/√fanIn,
    /// and the bias is U(−1/√fanIn, 1/√fanIn) too (torch.nn.modules.conv `reset_parameters`).
    public static func pytorchDefault(_ shape: [Int], fanIn: Int, using rng: inout RandomGenerator) -> Tensor {
        let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
        return uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// Kaiming-normal (He et al. 2015) with fan-out mode and ReLU gain, as torchvision's ResNet uses:
    /// N(0, 2 / fanOut).
    public static func kaimingNormalFanOut(_ shape: [Int], fanOut: Int, using rng: inout RandomGenerator) -> Tensor {
        normal(shape, std: (2 / Float(max(fanOut, 1))).squareRoot(), using: &rng)
    }
}
