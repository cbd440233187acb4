// Until the direct depthwise kernel lands, depthwise convolutions use the general im2col path.
import FoveaKernels
typealias DepthwiseConv2d = Conv2d
