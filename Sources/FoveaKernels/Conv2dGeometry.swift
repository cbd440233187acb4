/// The sizes of one 2-D convolution, in NCHW layout.
///
/// Input `(N, C, H, W)`, weight `(O, C / groups, KH, KW)`, bias `(O)`, output `(N, O, OH, OW)` with
/// `OH = (H + 2·padH − dilationH·(KH − 1) − 1) / strideH + 1` (and likewise `OW`), as in PyTorch.
public struct Conv2dGeometry: Sendable, Equatable, CustomStringConvertible {
    public var batch: Int
    public var inChannels: Int
    public var inHeight: Int
    public var inWidth: Int
    public var outChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideH: Int
    public var strideW: Int
    public var padH: Int
    public var padW: Int
    public var dilationH: Int
    public var dilationW: Int
    public var groups: Int

    /// Creates a geometry; square kernels, strides, paddings and dilations by default.
    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int, outChannels: Int,
                kernelHeight: Int, kernelWidth: Int, strideH: Int = 1, strideW: Int = 1,
                padH: Int = 0, padW: Int = 0, dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1) {
        self.batch = batch; self.inChannels = inChannels; self.inHeight = inHeight; self.inWidth = inWidth
        self.outChannels = outChannels; self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideH = strideH; self.strideW = strideW; self.padH = padH; self.padW = padW
        self.dilationH = dilationH; self.dilationW = dilationW; self.groups = groups
    }

    /// Output height `(H + 2·padH − dilationH·(KH − 1) − 1) / strideH + 1`.
    public var outHeight: Int { (inHeight + 2 * padH - dilationH * (kernelHeight - 1) - 1) / strideH + 1 }
    /// Output width `(W + 2·padW − dilationW·(KW − 1) − 1) / strideW + 1`.
    public var outWidth: Int { (inWidth + 2 * padW - dilationW * (kernelWidth - 1) - 1) / strideW + 1 }
    /// Input channels seen by one output channel.
    public var inChannelsPerGroup: Int { inChannels / groups }
    /// Output channels produced by one group.
    public var outChannelsPerGroup: Int { outChannels / groups }
    /// One group per channel and one output per input channel (MobileNet, ConvNeXt).
    public var isDepthwise: Bool { groups == inChannels && groups == outChannels && groups > 1 }
    /// Element counts of the input, weight and output buffers.
    public var inputCount: Int { batch * inChannels * inHeight * inWidth }
    public var weightCount: Int { outChannels * inChannelsPerGroup * kernelHeight * kernelWidth }
    public var outputCount: Int { batch * outChannels * outHeight * outWidth }
    /// Multiply-accumulates of the forward pass.
    public var macs: Int { batch * outChannels * outHeight * outWidth * inChannelsPerGroup * kernelHeight * kernelWidth }

    /// True when every size is positive, channels divide into groups and the output is non-empty.
    public var isValid: Bool {
        batch > 0 && inChannels > 0 && inHeight > 0 && inWidth > 0 && outChannels > 0
            && kernelHeight > 0 && kernelWidth > 0 && strideH > 0 && strideW > 0
            && padH >= 0 && padW >= 0 && dilationH > 0 && dilationW > 0 && groups > 0
            && inChannels % groups == 0 && outChannels % groups == 0
            // Swift's `/` truncates toward zero, so check the window fits before trusting outHeight.
            && inHeight + 2 * padH >= dilationH * (kernelHeight - 1) + 1
            && inWidth + 2 * padW >= dilationW * (kernelWidth - 1) + 1
    }

    public var description: String {
        "conv \(inChannels)→\(outChannels) k\(kernelHeight)x\(kernelWidth) s\(strideH)x\(strideW) p\(padH)x\(padW) d\(dilationH)x\(dilationW) g\(groups) on \(batch)x\(inChannels)x\(inHeight)x\(inWidth)"
    }
}
