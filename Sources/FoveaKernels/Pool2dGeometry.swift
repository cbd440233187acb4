/// The sizes of one 2-D pooling window sweep, in NCHW layout.
///
/// Input `(N, C, H, W)`, output `(N, C, OH, OW)` with
/// `OH = (H + 2·padH − KH) / strideH + 1` (floor mode, PyTorch's default).
public struct Pool2dGeometry: Sendable, Equatable {
    public var batch: Int
    public var channels: Int
    public var inHeight: Int
    public var inWidth: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideH: Int
    public var strideW: Int
    public var padH: Int
    public var padW: Int

    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelHeight: Int, kernelWidth: Int,
                strideH: Int, strideW: Int, padH: Int = 0, padW: Int = 0) {
        self.batch = batch; self.channels = channels; self.inHeight = inHeight; self.inWidth = inWidth
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideH = strideH; self.strideW = strideW; self.padH = padH; self.padW = padW
    }

    /// Output height `(H + 2·padH − KH) / strideH + 1`.
    public var outHeight: Int { (inHeight + 2 * padH - kernelHeight) / strideH + 1 }
    /// Output width `(W + 2·padW − KW) / strideW + 1`.
    public var outWidth: Int { (inWidth + 2 * padW - kernelWidth) / strideW + 1 }
    public var inputCount: Int { batch * channels * inHeight * inWidth }
    public var outputCount: Int { batch * channels * outHeight * outWidth }

    /// True when sizes are positive, padding is at most half the kernel (PyTorch's rule) and the output is non-empty.
    public var isValid: Bool {
        batch > 0 && channels > 0 && inHeight > 0 && inWidth > 0 && kernelHeight > 0 && kernelWidth > 0
            && strideH > 0 && strideW > 0 && padH >= 0 && padW >= 0
            && padH * 2 <= kernelHeight && padW * 2 <= kernelWidth
            // Swift's `/` truncates toward zero, so check the window fits before trusting outHeight.
            && inHeight + 2 * padH >= kernelHeight && inWidth + 2 * padW >= kernelWidth
    }
}
