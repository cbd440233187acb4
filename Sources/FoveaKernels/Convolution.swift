/// Any 2-D convolution, routed to the kernel that serves its shape best: the direct depthwise
/// kernel when `groups == C == O`, otherwise the im2col + SGEMM kernels. Same buffer contracts as
/// `Conv2d` (NCHW input `(N, C, H, W)`, weight `(O, C/groups, KH, KW)`, output `(N, O, OH, OW)`;
/// backward kernels overwrite their outputs).
public enum Convolution {
    public static func forward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        if g.isDepthwise { DepthwiseConv2d.forward(g, input: input, weight: weight, bias: bias, output: output) }
        else { Conv2d.forward(g, input: input, weight: weight, bias: bias, output: output) }
    }

    public static func backwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>) {
        if g.isDepthwise { DepthwiseConv2d.backwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput) }
        else { Conv2d.backwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput) }
    }

    public static func backwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
        if g.isDepthwise { DepthwiseConv2d.backwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, gradBias: gradBias) }
        else { Conv2d.backwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, gradBias: gradBias) }
    }
}
