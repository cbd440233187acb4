// The building blocks of ResNet (He et al. 2016, arXiv:1512.03385, Figure 5) and of its plain twins.
import FoveaLayers
import FoveaTensor

/// One residual block, torchvision's `BasicBlock` or `Bottleneck`, with keys `conv1`, `bn1`, `conv2`,
/// `bn2` (`conv3`, `bn3`) and `downsample.{0,1}`.
///
/// - basic: 3x3 (stride s) → 3x3, `width` channels out;
/// - bottleneck: 1x1 reduce to `width` → 3x3 (stride s, as torchvision's "ResNet v1.5") → 1x1 expand to `4·width`.
/// Each conv is followed by batch norm, and ReLU except the last, whose ReLU comes after the addition.
public final class ResNetBlock: Module {
    public enum Kind: Sendable {
        case basic, bottleneck
        /// Output channels per `width` (torchvision's `expansion`).
        public var expansion: Int { self == .basic ? 1 : 4 }
    }

    /// How the input reaches the output (Section 3.3 of the paper).
    public enum Shortcut: Sendable {
        /// No shortcut at all: the plain network of the degradation experiment (Figure 4, left; Figure 6, left).
        case none
        /// Identity, or when the shape changes a 1x1 projection with batch norm (`downsample`): option B.
        case projection
        /// Identity, or when the shape changes the input subsampled by the stride and padded with
        /// zero channels: option A (no parameters; the paper's CIFAR-10 choice).
        case zeroPadding
    }

    let convs: [Conv2d]
    let norms: [BatchNorm2d]
    let relu = ReLU()
    /// The shortcut's transform when the shape changes (nil: identity or no shortcut).
    let downsample: Module?
    let shortcut: Shortcut

    public init(_ kind: Kind, inputChannels inChannels: Int, width: Int, stride: Int, shortcut: Shortcut, using rng: inout RandomGenerator) throws {
        let out = width * kind.expansion
        switch kind {
        case .basic:
            convs = try [Conv2d(inputChannels: inChannels, outputChannels: width, kernelSize: 3, stride: stride, padding: 1, bias: false, using: &rng),
                         Conv2d(inputChannels: width, outputChannels: width, kernelSize: 3, padding: 1, bias: false, using: &rng)]
        case .bottleneck:
            convs = try [Conv2d(inputChannels: inChannels, outputChannels: width, kernelSize: 1, bias: false, using: &rng),
                         Conv2d(inputChannels: width, outputChannels: width, kernelSize: 3, stride: stride, padding: 1, bias: false, using: &rng),
                         Conv2d(inputChannels: width, outputChannels: out, kernelSize: 1, bias: false, using: &rng)]
        }
        norms = try convs.map { try BatchNorm2d(channels: $0.weight.shape[0]) }
        let reshapes = stride != 1 || inChannels != out
        switch (shortcut, reshapes) {
        case (.projection, true):
            downsample = try Sequential(Conv2d(inputChannels: inChannels, outputChannels: out, kernelSize: 1, stride: stride, bias: false, using: &rng), BatchNorm2d(channels: out))
        case (.zeroPadding, true): downsample = ZeroPaddingShortcut(inChannels: inChannels, outChannels: out, stride: stride)
        default: downsample = nil
        }
        self.shortcut = shortcut
        super.init()
        for (i, (conv, norm)) in zip(convs, norms).enumerated() {
            registerModule("conv\(i + 1)", conv)
            registerModule("bn\(i + 1)", norm)
        }
        registerModule("relu", relu)
        if let downsample { registerModule("downsample", downsample) }
    }

    public override func forward(_ x: Variable) throws -> Variable {
        var y = x
        let fuse = InferenceFusion.applies(to: self)
        for i in convs.indices {
            let last = i == convs.count - 1
            if fuse {
                y = try InferenceFusion.convolution(y, convs[i], norms[i], last ? nil : .relu)
                continue
            }
            y = try norms[i](convs[i](y))
            if !last { y = try relu(y) }
        }
        if shortcut != .none { y = try y + (downsample?(x) ?? x) }
        return try relu(y)
    }
}

/// Option A's shortcut: `x[:, :, ::s, ::s]` with zero channels added, half before and half after,
/// up to `outChannels` (the arrangement of the common PyTorch CIFAR reproductions).
final class ZeroPaddingShortcut: Module, SlidingWindowLayer {
    let inChannels: Int, outChannels: Int, stride: Int
    var windowSize: SIMD2<Int> { [1, 1] }
    var windowStride: SIMD2<Int> { [stride, stride] }

    init(inChannels: Int, outChannels: Int, stride: Int) {
        self.inChannels = inChannels; self.outChannels = outChannels; self.stride = stride
    }

    override func forward(_ x: Variable) throws -> Variable {
        // A 1x1 max pool with stride s is exactly the strided subsampling.
        let y = stride == 1 ? x : try maxPool2d(x, kernel: (1, 1), stride: (stride, stride), label: label)
        let before = (outChannels - inChannels) / 2, after = outChannels - inChannels - before
        func zeros(_ c: Int) -> Variable { Variable(Tensor(shape: [y.shape[0], c, y.shape[2], y.shape[3]])) }
        return try concat([zeros(before), y, zeros(after)].filter { $0.shape[1] > 0 }, dim: 1)
    }
}
