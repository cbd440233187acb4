import FoveaKernels

/// An elementwise activation layer (no parameters): `ReLU()`, `GELU()`, … or `Activation(.silu)`.
public class Activation: Module {
    public let kind: ActivationKind
    public init(_ kind: ActivationKind) { self.kind = kind }
    public override func forward(_ x: Variable) throws -> Variable { activation(x, kind) }
}

/// `torch.nn.ReLU`.
public final class ReLU: Activation { public init() { super.init(.relu) } }
/// `torch.nn.ReLU6`: `min(max(x, 0), 6)` (MobileNetV2).
public final class ReLU6: Activation { public init() { super.init(.relu6) } }
/// `torch.nn.GELU` (exact erf form; ConvNeXt).
public final class GELU: Activation { public init() { super.init(.gelu) } }
/// `torch.nn.SiLU`: `x·σ(x)`.
public final class SiLU: Activation { public init() { super.init(.silu) } }
/// `torch.nn.Hardswish`: `x·relu6(x + 3)/6` (MobileNetV3).
public final class Hardswish: Activation { public init() { super.init(.hardswish) } }
/// `torch.nn.Hardsigmoid`: `relu6(x + 3)/6` (MobileNetV3's squeeze-excitation gate).
public final class Hardsigmoid: Activation { public init() { super.init(.hardsigmoid) } }
/// `torch.nn.Sigmoid`.
public final class Sigmoid: Activation { public init() { super.init(.sigmoid) } }
/// `torch.nn.Tanh`.
public final class Tanh: Activation { public init() { super.init(.tanh) } }
