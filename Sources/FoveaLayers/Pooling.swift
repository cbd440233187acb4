import FoveaTensor

/// Max pooling, `torch.nn.MaxPool2d` (stride defaults to the kernel size).
public final class MaxPool2d: Module {
    public let kernelSize: Int, stride: Int, padding: Int
    /// Throws `ConfigurationError` unless kernel and stride are positive and `0 ≤ padding ≤ kernelSize/2`.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
        super.init()
        try validatePoolWindow("MaxPool2d", kernelSize: kernelSize, stride: self.stride, padding: padding)
    }
    public override func forward(_ x: Variable) throws -> Variable {
        try maxPool2d(x, kernel: (kernelSize, kernelSize), stride: (stride, stride), padding: (padding, padding), label: label)
    }
}

/// Average pooling, `torch.nn.AvgPool2d` (stride defaults to the kernel size).
public final class AvgPool2d: Module {
    public let kernelSize: Int, stride: Int, padding: Int, countIncludePad: Bool
    /// Throws `ConfigurationError` unless kernel and stride are positive and `0 ≤ padding ≤ kernelSize/2`.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, countIncludePad: Bool = true) throws {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding; self.countIncludePad = countIncludePad
        super.init()
        try validatePoolWindow("AvgPool2d", kernelSize: kernelSize, stride: self.stride, padding: padding)
    }
    public override func forward(_ x: Variable) throws -> Variable {
        try avgPool2d(x, kernel: (kernelSize, kernelSize), stride: (stride, stride), padding: (padding, padding),
                      countIncludePad: countIncludePad, label: label)
    }
}

/// Adaptive average pooling to a fixed output size, `torch.nn.AdaptiveAvgPool2d`; `(1, 1)` is global average pooling.
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: (Int, Int)
    /// Global average pooling, output `(1, 1)`.
    public override init() { outputSize = (1, 1) }
    /// Throws `ConfigurationError` unless both output sizes are positive.
    public init(_ outputSize: (Int, Int)) throws {
        guard outputSize.0 > 0 && outputSize.1 > 0 else {
            throw ConfigurationError(owner: "AdaptiveAvgPool2d", "output size must be positive, got \(outputSize)")
        }
        self.outputSize = outputSize
    }
    public override func forward(_ x: Variable) throws -> Variable {
        try adaptiveAvgPool2d(x, outputSize: outputSize, label: label)
    }
}

/// PyTorch's limits on a pooling window: positive kernel and stride, padding at most half the kernel
/// (a window that could lie wholly in the padding has no value to pool).
private func validatePoolWindow(_ owner: String, kernelSize: Int, stride: Int, padding: Int) throws {
    guard kernelSize > 0 else { throw ConfigurationError(owner: owner, "kernel size must be positive, got \(kernelSize)") }
    guard stride > 0 else { throw ConfigurationError(owner: owner, "stride must be positive, got \(stride)") }
    guard padding >= 0 && padding <= kernelSize / 2 else {
        throw ConfigurationError(owner: owner, "padding must be in 0...\(kernelSize / 2) (half the kernel size \(kernelSize)), got \(padding)")
    }
}
