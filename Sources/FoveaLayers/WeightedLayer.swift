import FoveaAutograd

/// A layer whose every output value is a weighted sum of input values plus a bias: convolutions
/// and fully connected layers. Model summaries (multiply-accumulates), weight initialisation and
/// inference fusion work through this protocol instead of switching over concrete layer types, so
/// a new weighted layer needs only to conform.
public protocol WeightedLayer: Module {
    /// `(O, C/groups, KH, KW)` for convolutions, `(out, in)` for linear layers.
    var weight: Variable { get }
    /// `(O)`, or nil without a bias.
    var bias: Variable? { get }
    /// Input values summed into one output value: `C/groups·KH·KW`, or the input features.
    var fanIn: Int { get }
    /// PyTorch's fan-out, as its initialisers count it: `O·KH·KW`, or the output features.
    var fanOut: Int { get }
}

extension WeightedLayer {
    /// torchvision's multiply-accumulate count of a call that produced `outputCount` values.
    public func multiplyAccumulates(outputCount: Int) -> Int { outputCount * fanIn }
}

/// A layer that slides a window over the input's height and width (convolutions, pooling): what
/// receptive-field arithmetic needs.
public protocol SlidingWindowLayer: Module {
    /// Window (height, width) before dilation.
    var windowSize: SIMD2<Int> { get }
    /// Steps between windows (height, width).
    var windowStride: SIMD2<Int> { get }
    /// Spacing of the window's taps (height, width); 1 for pooling.
    var windowDilation: SIMD2<Int> { get }
}

extension SlidingWindowLayer {
    public var windowDilation: SIMD2<Int> { [1, 1] }
}

extension Conv2d: WeightedLayer, SlidingWindowLayer {
    public var fanIn: Int { weight.shape.dropFirst().reduce(1, *) }
    public var fanOut: Int { weight.shape[0] * weight.shape[2] * weight.shape[3] }
    public var windowSize: SIMD2<Int> { [weight.shape[2], weight.shape[3]] }
    public var windowStride: SIMD2<Int> { [stride.0, stride.1] }
    public var windowDilation: SIMD2<Int> { [dilation.0, dilation.1] }
}

extension Linear: WeightedLayer {
    public var fanIn: Int { weight.shape[1] }
    public var fanOut: Int { weight.shape[0] }
}

extension ChannelLinear: WeightedLayer {
    public var fanIn: Int { weight.shape[1] }
    public var fanOut: Int { weight.shape[0] }
}

extension MaxPool2d: SlidingWindowLayer {
    public var windowSize: SIMD2<Int> { [kernelSize, kernelSize] }
    public var windowStride: SIMD2<Int> { [stride, stride] }
}

extension AvgPool2d: SlidingWindowLayer {
    public var windowSize: SIMD2<Int> { [kernelSize, kernelSize] }
    public var windowStride: SIMD2<Int> { [stride, stride] }
}
