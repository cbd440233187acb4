import XCTest
import FoveaTestSupport
import Fovea
import FoveaKernels

/// The backwards of the ops that run on FoveaKernels (convolution, linear, pooling, normalization,
/// activations, softmax) against their reference twins' Double backwards, each twin cross-checked
/// with Double finite differences of its forward, at `DoubleGradCheck.Tolerance.standard`.
final class DoubleGradCheckKernelOpTests: XCTestCase {
    var rng = RandomGenerator(seed: 43)
    func random(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) -> Tensor { .uniform(shape, low: low, high: high, using: &rng) }

    /// conv2d with input `x` `(N, C, H, W)` and weight `w` `(O, C/groups, KH, KW)` against `Conv2dReference`.
    func checkConv(_ name: String, x: [Int], w: [Int], bias: Bool = true, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                   dilation: (Int, Int) = (1, 1), groups: Int = 1, crossCheck: Bool = true,
                   file: StaticString = #filePath, line: UInt = #line) throws {
        let g = Conv2dGeometry(batch: x[0], inChannels: x[1], inHeight: x[2], inWidth: x[3], outChannels: w[0],
                               kernelHeight: w[2], kernelWidth: w[3], strideH: stride.0, strideW: stride.1,
                               padH: padding.0, padW: padding.1, dilationH: dilation.0, dilationW: dilation.1, groups: groups)
        let inputs = [random(x), random(w)] + (bias ? [random([w[0]])] : [])
        try DoubleGradCheck.assertGradients(name, inputs, oracle: .analytic({ v, r in
            let d = Conv2dReference.backward(g, input: v[0], weight: v[1], gradOutput: r)
            return [d.input, d.weight] + (bias ? [d.bias] : [])
        }), crossCheck: crossCheck, file: file, line: line, autograd: { v in
            try conv2d(v[0], weight: v[1], bias: bias ? v[2] : nil, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }) { v in Conv2dReference.forward(g, input: v[0], weight: v[1], bias: bias ? v[2] : nil) }
    }

    func testConvolutionPaths() throws {
        // Stride 1 (direct shifted kernels with AVX-512; transposed-convolution input gradient), with
        // one image (GEMM threaded) and two (threads split the batch; direct weight gradient for ≤ 16
        // output channels per group, taps-last GEMM above).
        try checkConv("conv 3x3 pad 1, 1 image", x: [1, 2, 5, 6], w: [3, 2, 3, 3], padding: (1, 1))
        try checkConv("conv 3x3 pad 1, 2 images", x: [2, 2, 5, 6], w: [3, 2, 3, 3], padding: (1, 1))
        try checkConv("conv 3x3 pad 1, 20 outputs", x: [2, 2, 5, 5], w: [20, 2, 3, 3], padding: (1, 1), crossCheck: false)
        try checkConv("conv 3x3 no padding, no bias", x: [2, 2, 6, 5], w: [3, 2, 3, 3], bias: false)
        try checkConv("conv 1x3 pad (0, 1)", x: [2, 2, 4, 6], w: [3, 2, 1, 3], padding: (0, 1))
        // Pointwise (the image is the column matrix) and 1x1 with stride (not pointwise).
        try checkConv("conv 1x1, 1 image", x: [1, 5, 4, 3], w: [6, 5, 1, 1])
        try checkConv("conv 1x1, 2 images", x: [2, 5, 4, 3], w: [6, 5, 1, 1])
        try checkConv("conv 1x1 stride 2", x: [2, 4, 5, 5], w: [3, 4, 1, 1], stride: (2, 2))
        // Strided, dilated, grouped: im2col + GEMM and col2im.
        try checkConv("conv 3x3 stride 2 pad 1", x: [2, 2, 7, 6], w: [3, 2, 3, 3], stride: (2, 2), padding: (1, 1))
        try checkConv("conv stride 2 dilation 2 groups 2", x: [1, 4, 9, 8], w: [6, 2, 3, 3], bias: false,
                      stride: (2, 2), padding: (2, 1), dilation: (2, 2), groups: 2)
        try checkConv("conv dilation 2 pad 2, 2 images", x: [2, 2, 6, 6], w: [2, 2, 3, 3], padding: (2, 2), dilation: (2, 2))
        try checkConv("conv 3x3 groups 2, stride (1, 2)", x: [2, 4, 5, 6], w: [4, 2, 3, 3], stride: (1, 2), padding: (1, 1), groups: 2)
        try checkConv("conv 7x7 stride 2 pad 3 (stem)", x: [1, 3, 9, 9], w: [2, 3, 7, 7], stride: (2, 2), padding: (3, 3), crossCheck: false)
        // groups = C but O = 2C: grouped, not depthwise.
        try checkConv("conv groups = C, multiplier 2", x: [2, 3, 5, 5], w: [6, 1, 3, 3], padding: (1, 1), groups: 3)
    }

    func testDepthwiseConvolutionPaths() throws {
        // Unit stride (row kernels, flipped-kernel input gradient), widths on and off the 8-float
        // vectors; column stride 2 (even/odd column split); other strides and dilations (plain loops).
        try checkConv("depthwise 3x3 stride 1 pad 1, width 10", x: [2, 2, 4, 10], w: [2, 1, 3, 3], padding: (1, 1), groups: 2)
        try checkConv("depthwise 3x3 stride 1 pad 1, width 16", x: [1, 2, 4, 16], w: [2, 1, 3, 3], padding: (1, 1), groups: 2)
        try checkConv("depthwise 3x3 dilation 2 pad 2", x: [1, 3, 6, 9], w: [3, 1, 3, 3], padding: (2, 2), dilation: (2, 2), groups: 3)
        try checkConv("depthwise 3x3 stride 2 pad 1", x: [2, 2, 7, 9], w: [2, 1, 3, 3], stride: (2, 2), padding: (1, 1), groups: 2)
        try checkConv("depthwise 5x5 stride 2 pad 2", x: [1, 2, 9, 11], w: [2, 1, 5, 5], stride: (2, 2), padding: (2, 2), groups: 2)
        try checkConv("depthwise 3x3 stride (2, 1), no bias", x: [2, 3, 7, 6], w: [3, 1, 3, 3], bias: false,
                      stride: (2, 1), padding: (1, 1), groups: 3)
        try checkConv("depthwise 3x3 stride 3", x: [1, 2, 8, 8], w: [2, 1, 3, 3], stride: (3, 3), padding: (1, 1), groups: 2)
        try checkConv("depthwise 3x3 stride 2 dilation 2", x: [1, 2, 9, 9], w: [2, 1, 3, 3], stride: (2, 2), padding: (2, 2),
                      dilation: (2, 2), groups: 2)
        try checkConv("depthwise 7x7 pad 3 (ConvNeXt)", x: [1, 2, 8, 8], w: [2, 1, 7, 7], padding: (3, 3), groups: 2, crossCheck: false)
    }

    func testLinear() throws {
        for bias in [true, false] {
            let inputs = [random([3, 5]), random([4, 5])] + (bias ? [random([4])] : [])
            try DoubleGradCheck.assertGradients("linear\(bias ? "" : " no bias")", inputs, autograd: { v in
                try linear(v[0], weight: v[1], bias: bias ? v[2] : nil)
            }) { v in DoubleForwards.linear(v[0], v[1], bias ? v[2] : nil, n: 3, inF: 5, outF: 4) }
        }
        // Past the GEMM micro-kernel's tile edges in every dimension.
        try DoubleGradCheck.assertGradients("linear 17x37 → 33", [random([17, 37]), random([33, 37]), random([33])],
                                            autograd: { try linear($0[0], weight: $0[1], bias: $0[2]) }) { v in
            DoubleForwards.linear(v[0], v[1], v[2], n: 17, inF: 37, outF: 33)
        }
        // Only the weight needs a gradient (frozen input), as for a classifier head on fixed features.
        try DoubleGradCheck.assertGradients("linear, constant input", [random([6, 7]), random([3, 7]), random([3])],
                                            requiresGrad: [false, true, true],
                                            autograd: { try linear($0[0], weight: $0[1], bias: $0[2]) }) { v in
            DoubleForwards.linear(v[0], v[1], v[2], n: 6, inF: 7, outF: 3)
        }
    }

    /// A tensor of `shape` whose values are a permutation of distinct multiples of 0.01, so every
    /// max-pooling window has a unique maximum that stays put under a 1e-6 step.
    func distinct(_ shape: [Int]) -> Tensor {
        let n = shape.reduce(1, *)
        var values = (0..<n).map { Float($0) * 0.01 - Float(n) * 0.005 }
        for i in stride(from: n - 1, to: 0, by: -1) { values.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return Tensor(shape: shape, storage: values)
    }

    func testPooling() throws {
        for (name, shape, k, s, p) in [("max pool 3x3 s2 p1", [2, 2, 7, 6], (3, 3), (2, 2), (1, 1)),
                                       ("max pool 2x2 s2", [2, 3, 6, 6], (2, 2), (2, 2), (0, 0)),
                                       // The 2x2 stride-2 kernels: four outputs at a time (odd height, last
                                       // block overlapping), and eight at a time.
                                       ("max pool 2x2 s2, width 10", [1, 2, 7, 10], (2, 2), (2, 2), (0, 0)),
                                       ("max pool 2x2 s2, width 18", [1, 2, 4, 18], (2, 2), (2, 2), (0, 0)),
                                       ("max pool 3x3 s1 p1 (overlapping)", [1, 2, 5, 5], (3, 3), (1, 1), (1, 1)),
                                       ("max pool 3x2 s(2,1)", [1, 2, 7, 5], (3, 2), (2, 1), (1, 0))] {
            let g = Pool2dGeometry(batch: shape[0], channels: shape[1], inHeight: shape[2], inWidth: shape[3],
                                   kernelHeight: k.0, kernelWidth: k.1, strideH: s.0, strideW: s.1, padH: p.0, padW: p.1)
            try DoubleGradCheck.assertGradients(name, [distinct(shape)], oracle: .analytic({ v, r in
                [PoolingReference<Double>.maxBackward(g, indices: PoolingReference<Double>.maxForward(g, v[0]).indices, gradOutput: r)]
            }), autograd: { try maxPool2d($0[0], kernel: k, stride: s, padding: p) }) { PoolingReference<Double>.maxForward(g, $0[0]).output }
        }
        for include in [false, true] {
            for (shape, k, s, p) in [([2, 2, 7, 7], (3, 3), (2, 2), (1, 1)), ([1, 3, 6, 5], (2, 2), (2, 2), (0, 0)),
                                     ([1, 2, 5, 6], (3, 2), (1, 2), (1, 1))] {
                let g = Pool2dGeometry(batch: shape[0], channels: shape[1], inHeight: shape[2], inWidth: shape[3],
                                       kernelHeight: k.0, kernelWidth: k.1, strideH: s.0, strideW: s.1, padH: p.0, padW: p.1)
                try DoubleGradCheck.assertGradients("avg pool \(k) s\(s) p\(p) include pad \(include)", [random(shape)], oracle: .analytic({ _, r in
                    [PoolingReference<Double>.avgBackward(g, countIncludePad: include, gradOutput: r)]
                }), autograd: { try avgPool2d($0[0], kernel: k, stride: s, padding: p, countIncludePad: include) }) {
                    PoolingReference<Double>.avgForward(g, countIncludePad: include, $0[0])
                }
            }
        }
        for (shape, out) in [([2, 2, 7, 5], (3, 2)), ([2, 3, 4, 4], (1, 1)), ([1, 2, 5, 7], (5, 3)), ([1, 2, 3, 3], (4, 5))] {
            let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
            try DoubleGradCheck.assertGradients("adaptive avg pool \(shape) → \(out)", [random(shape)], oracle: .analytic({ _, r in
                [PoolingReference<Double>.adaptiveAvgBackward(batch: n, channels: c, inHeight: h, inWidth: w,
                                                               outHeight: out.0, outWidth: out.1, gradOutput: r)]
            }), autograd: { try adaptiveAvgPool2d($0[0], outputSize: out) }) {
                PoolingReference<Double>.adaptiveAvgForward(batch: n, channels: c, inHeight: h, inWidth: w,
                                                            outHeight: out.0, outWidth: out.1, $0[0])
            }
        }
    }

    func testBatchNorm() throws {
        let eps = Double(Float(1e-5))
        // Planes of 9, 10 and 25 values: the 8- and 16-float blocks of the plane reductions and their tails.
        for (shape, affine) in [([4, 3, 3, 3], true), ([3, 2, 2, 5], false), ([2, 3, 5, 5], true), ([6, 4], true)] {
            let (n, c) = (shape[0], shape[1]), s = shape.dropFirst(2).reduce(1, *)
            let inputs = [random(shape, -2, 2)] + (affine ? [random([c], 0.5, 1.5), random([c])] : [])
            try DoubleGradCheck.assertGradients("batch norm train \(shape)\(affine ? "" : " no affine")", inputs, oracle: .analytic({ v, r in
                let d = BatchNormReference<Double>.backwardTraining(batch: n, channels: c, spatial: s, v[0], gradOutput: r,
                                                                    weight: affine ? v[1] : nil, eps: eps)
                return [d.gradInput] + (affine ? [d.gradWeight, d.gradBias] : [])
            }), autograd: { v in
                var mean = Tensor(shape: [c]), variance = Tensor(shape: [c], repeating: 1)
                return try batchNorm2d(v[0], weight: affine ? v[1] : nil, bias: affine ? v[2] : nil,
                                       runningMean: &mean, runningVariance: &variance, training: true)
            }) { v in
                BatchNormReference<Double>.forwardTraining(batch: n, channels: c, spatial: s, v[0], weight: affine ? v[1] : nil,
                                                           bias: affine ? v[2] : nil, eps: eps).output
            }

            let runningMean = random([c], -0.5, 0.5), runningVariance = random([c], 0.3, 2)
            let rm = runningMean.storage.map(Double.init), rv = runningVariance.storage.map(Double.init)
            try DoubleGradCheck.assertGradients("batch norm eval \(shape)\(affine ? "" : " no affine")", inputs, oracle: .analytic({ v, r in
                let d = BatchNormReference<Double>.backwardInference(batch: n, channels: c, spatial: s, v[0], gradOutput: r,
                                                                     weight: affine ? v[1] : nil, runningMean: rm, runningVariance: rv, eps: eps)
                return [d.gradInput] + (affine ? [d.gradWeight, d.gradBias] : [])
            }), autograd: { v in
                var mean = runningMean, variance = runningVariance
                return try batchNorm2d(v[0], weight: affine ? v[1] : nil, bias: affine ? v[2] : nil,
                                       runningMean: &mean, runningVariance: &variance, training: false)
            }) { v in
                BatchNormReference<Double>.forwardInference(batch: n, channels: c, spatial: s, v[0], weight: affine ? v[1] : nil,
                                                            bias: affine ? v[2] : nil, runningMean: rm, runningVariance: rv, eps: eps)
            }
        }
    }

    func testLayerNorm2d() throws {
        let eps = Double(Float(1e-6))
        // 6, 4, 20 and 1 pixels (8-pixel vectors and tails), and 1122 pixels: two blocks of the kernel,
        // too many to difference, so the twin alone. That one has 8 channels: among a thousand pixels
        // of 3 random channels some have nearly equal values, where normalising is ill-conditioned
        // (Float32 rounding of x − mean is amplified by 1/std) and errors reach 6e-5.
        for (shape, affine) in [([2, 5, 3, 2], true), ([2, 4, 2, 2], false), ([2, 3, 4, 5], true), ([3, 6], true), ([1, 8, 33, 34], true)] {
            let (n, c) = (shape[0], shape[1]), s = shape.dropFirst(2).reduce(1, *)
            let inputs = [random(shape, -2, 2)] + (affine ? [random([c], 0.5, 1.5), random([c])] : [])
            try DoubleGradCheck.assertGradients("layer norm \(shape)\(affine ? "" : " no affine")", inputs, oracle: .analytic({ v, r in
                let d = LayerNormReference<Double>.backward(batch: n, channels: c, spatial: s, v[0], gradOutput: r,
                                                            weight: affine ? v[1] : nil, eps: eps)
                return [d.gradInput] + (affine ? [d.gradWeight, d.gradBias] : [])
            }), crossCheck: s < 1024, autograd: { v in try layerNorm2d(v[0], weight: affine ? v[1] : nil, bias: affine ? v[2] : nil) }) { v in
                LayerNormReference<Double>.forward(batch: n, channels: c, spatial: s, v[0], weight: affine ? v[1] : nil,
                                                   bias: affine ? v[2] : nil, eps: eps).output
            }
        }
    }

    /// `count` values on every branch of every activation and at least 0.1 from each kink
    /// (0, ±3, 6): (−8, −3.1) ∪ (−2.9, −0.1) ∪ (0.1, 2.9) ∪ (3.1, 5.9) ∪ (6.1, 8).
    func awayFromKinks(_ count: Int) -> Tensor {
        let bands: [(Float, Float)] = [(-8, -3.1), (-2.9, -0.1), (0.1, 2.9), (3.1, 5.9), (6.1, 8)]
        return Tensor(shape: [count], storage: (0..<count).map { i in
            let (low, high) = bands[i % bands.count]
            return rng.nextUniform(low, high)
        })
    }

    func testActivations() throws {
        // 35 elements: whole SIMD8 blocks and a tail.
        let x = try awayFromKinks(35).reshaped([5, 7])
        for kind in ActivationKind.allCases {
            try DoubleGradCheck.assertGradients(kind.rawValue, [x], oracle: .analytic({ v, r in
                [ActivationReference<Double>.backward(kind, v[0], gradOutput: r)]
            }), autograd: { activation($0[0], kind) }) { ActivationReference<Double>.forward(kind, $0[0]) }
        }
        // Enough elements for several threads' chunks; too many to difference, so the twin alone.
        let big = awayFromKinks(70_001)
        for kind in ActivationKind.allCases {
            try DoubleGradCheck.assertGradients("\(kind.rawValue), 70001 elements", [big], oracle: .analytic({ v, r in
                [ActivationReference<Double>.backward(kind, v[0], gradOutput: r)]
            }), crossCheck: false, autograd: { activation($0[0], kind) }) { ActivationReference<Double>.forward(kind, $0[0]) }
        }
    }

    func testGuidedReLU() throws {
        // Not a gradient (so no finite differences): the rule `dx = [x > 0]·max(dy, 0)` of Guided
        // Backpropagation, for ReLU and ReLU6.
        let x = try awayFromKinks(35).reshaped([5, 7])
        for kind in [ActivationKind.relu, .relu6] {
            try DoubleGradCheck.assertGradients("guided \(kind.rawValue)", [x], oracle: .analytic({ v, r in
                [ActivationReference<Double>.backward(kind, v[0], gradOutput: r.map { max($0, 0) })]
            }), crossCheck: false, autograd: { v in GuidedBackpropagation.during { activation(v[0], kind) } }) {
                ActivationReference<Double>.forward(kind, $0[0])
            }
        }
    }

    func testSoftmaxAndLogSoftmax() throws {
        for (rows, cols) in [(3, 5), (2, 17), (1, 1)] {
            try DoubleGradCheck.assertGradients("softmax \(rows)x\(cols)", [random([rows, cols], -3, 3)], oracle: .analytic({ v, r in
                let y = SoftmaxReference<Double>.forward(rows: rows, cols: cols, v[0])
                return [SoftmaxReference<Double>.backward(rows: rows, cols: cols, output: y, gradOutput: r)]
            }), autograd: { try softmax($0[0]) }) { SoftmaxReference<Double>.forward(rows: rows, cols: cols, $0[0]) }
            try DoubleGradCheck.assertGradients("log softmax \(rows)x\(cols)", [random([rows, cols], -3, 3)], oracle: .analytic({ v, r in
                let y = SoftmaxReference<Double>.logForward(rows: rows, cols: cols, v[0])
                return [SoftmaxReference<Double>.logBackward(rows: rows, cols: cols, output: y, gradOutput: r)]
            }), autograd: { try logSoftmax($0[0]) }) { SoftmaxReference<Double>.logForward(rows: rows, cols: cols, $0[0]) }
        }
        // Softmax over the last dimension of a 3-D tensor.
        try DoubleGradCheck.assertGradients("softmax 2x3x4", [random([2, 3, 4], -3, 3)], autograd: { try softmax($0[0]) }) {
            SoftmaxReference<Double>.forward(rows: 6, cols: 4, $0[0])
        }
    }
}
