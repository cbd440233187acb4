/// The naive direct-loop twin of `Conv2d`: the readable definition and the test oracle. Generic so
/// tests can run it in Double for finite-difference checks.
///
/// `output[n][o][oh][ow] = bias[o] + Σ_{c, kh, kw} input[n][g·Cg + c][ih][iw] · weight[o][c][kh][kw]`
/// with `g = o / (O / groups)`, `ih = oh·strideH − padH + kh·dilationH`, `iw` likewise, and
/// out-of-range `ih`, `iw` reading zero (PyTorch's `conv2d`).
public enum Conv2dReference {
    /// input (N, C, H, W), weight (O, C/groups, KH, KW), bias (O) or nil → output (N, O, OH, OW).
    public static func forward<T: BinaryFloatingPoint>(_ g: Conv2dGeometry, input: [T], weight: [T], bias: [T]?) -> [T] {
        precondition(g.isValid && input.count == g.inputCount && weight.count == g.weightCount)
        var output = [T](repeating: 0, count: g.outputCount)
        forEachTap(g) { outIndex, inIndex, weightIndex, o in
            if inIndex < 0 { return }
            output[outIndex] += input[inIndex] * weight[weightIndex]
        }
        if let bias {
            let plane = g.outHeight * g.outWidth
            for i in output.indices { output[i] += bias[(i / plane) % g.outChannels] }
        }
        return output
    }

    /// Gradients of `L` given gradOutput = ∂L/∂output (N, O, OH, OW): ∂L/∂input (N, C, H, W),
    /// ∂L/∂weight (O, C/groups, KH, KW) and ∂L/∂bias (O). Each tap of the forward sum sends
    /// `gradOutput · weight` back to its input and `gradOutput · input` to its weight.
    public static func backward<T: BinaryFloatingPoint>(_ g: Conv2dGeometry, input: [T], weight: [T],
                                                        gradOutput: [T]) -> (input: [T], weight: [T], bias: [T]) {
        precondition(g.isValid && input.count == g.inputCount && weight.count == g.weightCount
                     && gradOutput.count == g.outputCount)
        var gradInput = [T](repeating: 0, count: g.inputCount)
        var gradWeight = [T](repeating: 0, count: g.weightCount)
        var gradBias = [T](repeating: 0, count: g.outChannels)
        forEachTap(g) { outIndex, inIndex, weightIndex, o in
            if inIndex < 0 { return }
            gradInput[inIndex] += gradOutput[outIndex] * weight[weightIndex]
            gradWeight[weightIndex] += gradOutput[outIndex] * input[inIndex]
        }
        let plane = g.outHeight * g.outWidth
        for i in gradOutput.indices { gradBias[(i / plane) % g.outChannels] += gradOutput[i] }
        return (gradInput, gradWeight, gradBias)
    }

    /// Calls `body(outIndex, inIndex, weightIndex, o)` for every tap of every output element;
    /// `inIndex` is −1 where the tap falls in the zero padding.
    private static func forEachTap(_ g: Conv2dGeometry, _ body: (Int, Int, Int, Int) -> Void) {
        let (C, H, W, O) = (g.inChannels, g.inHeight, g.inWidth, g.outChannels)
        let (OH, OW, KH, KW) = (g.outHeight, g.outWidth, g.kernelHeight, g.kernelWidth)
        let Cg = g.inChannelsPerGroup, Og = g.outChannelsPerGroup
        for n in 0..<g.batch {
            for o in 0..<O {
                let group = o / Og
                for oh in 0..<OH {
                    for ow in 0..<OW {
                        let outIndex = ((n * O + o) * OH + oh) * OW + ow
                        for c in 0..<Cg {
                            for kh in 0..<KH {
                                for kw in 0..<KW {
                                    let ih = oh * g.strideH - g.padH + kh * g.dilationH
                                    let iw = ow * g.strideW - g.padW + kw * g.dilationW
                                    let inside = ih >= 0 && ih < H && iw >= 0 && iw < W
                                    let inIndex = inside ? ((n * C + group * Cg + c) * H + ih) * W + iw : -1
                                    body(outIndex, inIndex, ((o * Cg + c) * KH + kh) * KW + kw, o)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
