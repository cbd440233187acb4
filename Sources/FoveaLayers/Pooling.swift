/// Max pooling, `torch.nn.MaxPool2d` (stride defaults to the kernel size).
public final class MaxPool2d: Module {
    public let kernelSize: Int, stride: Int, padding: Int
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
    }
    public override func forward(_ x: Variable) throws -> Variable {
        try maxPool2d(x, kernel: (kernelSize, kernelSize), stride: (stride, stride), padding: (padding, padding), label: label)
    }
}

/// Average pooling, `torch.nn.AvgPool2d` (stride defaults to the kernel size).
public final class AvgPool2d: Module {
    public let kernelSize: Int, stride: Int, padding: Int, countIncludePad: Bool
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, countIncludePad: Bool = true) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding; self.countIncludePad = countIncludePad
    }
    public override func forward(_ x: Variable) throws -> Variable {
        try avgPool2d(x, kernel: (kernelSize, kernelSize), stride: (stride, stride), padding: (padding, padding),
                      countIncludePad: countIncludePad, label: label)
    }
}

/// Adaptive average pooling to a fixed output size, `torch.nn.AdaptiveAvgPool2d`; `(1, 1)` is global average pooling.
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: (Int, Int)
    public init(_ outputSize: (Int, Int) = (1, 1)) { self.outputSize = outputSize }
    public override func forward(_ x: Variable) throws -> Variable {
        try adaptiveAvgPool2d(x, outputSize: outputSize, label: label)
    }
}
