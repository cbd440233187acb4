import CFoveaKernels

/// 2-D convolution on NCHW buffers, as im2col + SGEMM per image and group — or, for stride 1 on
/// AVX-512 CPUs, direct kernels over the zero-padded image with no packing (`conv_direct.c`;
/// `KernelOptions.convolutionPath` chooses, and the options' threads and GEMM kernel apply).
///
/// Shapes (see `Conv2dGeometry`): input (N, C, H, W), weight (O, C/groups, KH, KW), bias (O),
/// output (N, O, OH, OW). With `K = C/groups·KH·KW` and `P = OH·OW`, per image and group:
/// forward `out (Og × P) = W_g (Og × K) · col (K × P)`; the input gradient is, for stride 1, the
/// forward convolution of gradOut with the flipped, transposed weight (else `W_gᵀ · gradOut` then
/// col2im); the weight gradient is `gradW_g (Og × K) += gradOut (Og × P) · colᵀ`.
///
/// Threading: when the batch has at least two images, threads take contiguous ranges of images, each
/// with its own workspace and a single-threaded GEMM whose B panels are packed straight from the image
/// (no column matrix). A single image runs with every thread inside GEMM (direct kernels: threads
/// take ranges of 8-channel output tiles). Weight gradients are summed
/// per thread and reduced in thread order, so results are bitwise reproducible for a given thread
/// count. Depthwise convolutions work here too (correct, not fast).
public enum Conv2d {
    /// Writes output (N, O, OH, OW) = conv(input (N, C, H, W), weight (O, C/groups, KH, KW)) + bias (O).
    public static func forward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        forward(Plan(g, options: .current), input: input, weight: weight, bias: bias, output: output)
    }

    /// `forward` with the plan (and so the options) fixed by the caller.
    static func forward(_ plan: Plan, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let g = plan.g
        if (plan.splitsImages || plan.usesDirectShiftedKernels) && g.strideH == 1 && g.strideW == 1 && !plan.isPointwise {
            forwardShifted(plan, input: input, weight: weight, bias: bias, output: output)
            return
        }
        let kernel = plan.kernel
        forEachImage(plan, workspace: plan.splitsImages ? 0 : plan.columnCount) { n, gemmThreads, col in
            for group in 0..<g.groups {
                let image = input + (n * g.inChannels + group * plan.Cg) * plan.HW
                let out = output + (n * g.outChannels + group * plan.Og) * plan.P
                let w = weight + group * plan.Og * plan.K
                if plan.isPointwise || gemmThreads > 1 {
                    if !plan.isPointwise { im2col(g, image: image, col: col) }
                    GEMM.sgemm(transA: false, transB: false, m: plan.Og, n: plan.P, k: plan.K, alpha: 1,
                               a: w, lda: plan.K, b: plan.isPointwise ? image : UnsafePointer(col), ldb: plan.P,
                               beta: 0, c: out, ldc: plan.P, kernel: kernel, threads: gemmThreads, blocking: plan.blocking)
                } else {
                    var shape = packShape(g)
                    let level = packLevel(kernel)
                    GEMM.serial(m: plan.Og, n: plan.P, k: plan.K, alpha: 1,
                                a: GEMM.Operand(w, rowStride: plan.K, colStride: 1), beta: 0, c: out, ldc: plan.P,
                                kernel: kernel, blocking: plan.blocking) { pc, kc, jc, nc, dst in
                        // (C, H, W) image → B panels of its im2col matrix, rows pc..<pc+kc, columns jc..<jc+nc.
                        fovea_pack_im2col_panels(level, &shape, image, pc, kc, jc, nc, kernel.nr, dst)
                    }
                }
            }
            if let bias { addBias(g, bias: bias, output: output + n * g.outChannels * plan.P) }
        }
    }

    /// Stride-1 forward over a zero-padded copy of each image: every im2col row is one shifted slice
    /// of it, so packing a panel row is a single vector copy, or, with the direct kernels, no packing
    /// at all. The product runs over padded-width rows (Og × OH·Wp, Wp − OW junk columns per row) into
    /// a workspace and valid columns are copied out, or, direct and row by row, straight into the
    /// output. Used when threads split the batch, or with the direct kernels for any batch.
    static func forwardShifted(_ plan: Plan, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let g = plan.g, kernel = plan.kernel, level = packLevel(kernel)
        let Wp = g.inWidth + 2 * g.padW
        let (OH, OW) = (g.outHeight, g.outWidth)
        let n = shiftedColumns(g)
        let paddedCount = paddedImageCount(g, nr: kernel.nr)
        // The direct kernel writes output rows in place when whole vectors per row waste no more
        // lanes than the padded width's junk columns (14, 16, 28 or 32 wide, not 7 or 56): no
        // copy-out. Rows of one vector go three to a tile.
        let rowWise = plan.usesDirectShiftedKernels && (OW + 15) / 16 * 16 <= Wp
        shiftedOffsets(g).withUnsafeBufferPointer { offsets in
            let offsets = offsets.baseAddress!
            forEachImage(plan, workspace: paddedCount + plan.Og * n) { image, threads, work in
                let padded = work, product = work + paddedCount
                for group in 0..<g.groups {
                    padImage(g, image: input + (image * g.inChannels + group * plan.Cg) * plan.HW, padded: padded, nr: kernel.nr)
                    let w = weight + group * plan.Og * plan.K
                    let out = output + (image * g.outChannels + group * plan.Og) * plan.P
                    if plan.usesDirectShiftedKernels {
                        // One image at a time (batch 1): threads take ranges of 8-channel row tiles.
                        Parallel.forRanges(threads > 1 ? (plan.Og + 7) / 8 : 1, threads: threads) { tiles in
                            let o0 = threads > 1 ? tiles.lowerBound * 8 : 0
                            let o1 = threads > 1 ? min(plan.Og, tiles.upperBound * 8) : plan.Og
                            if rowWise && OW <= 16 {
                                fovea_conv_shifted_rows(o1 - o0, OH, OW, plan.K, w + o0 * plan.K, padded, Wp, offsets,
                                                        out + o0 * plan.P, plan.P, OW)
                            } else if rowWise {
                                for oh in 0..<OH {
                                    fovea_conv_shifted_product(o1 - o0, OW, plan.K, w + o0 * plan.K, padded + oh * Wp, offsets,
                                                               out + o0 * plan.P + oh * OW, plan.P)
                                }
                            } else {
                                fovea_conv_shifted_product(o1 - o0, n, plan.K, w + o0 * plan.K, padded, offsets, product + o0 * n, n)
                            }
                        }
                        if rowWise { continue }
                    } else {
                        GEMM.serial(m: plan.Og, n: n, k: plan.K, alpha: 1, a: GEMM.Operand(w, rowStride: plan.K, colStride: 1),
                                    beta: 0, c: product, ldc: n, kernel: kernel, blocking: plan.blocking) { pc, kc, jc, nc, dst in
                            fovea_pack_shifted_rows(level, padded, offsets, pc, kc, jc, nc, kernel.nr, dst)
                        }
                    }
                    for o in 0..<plan.Og {
                        for oh in 0..<OH { (out + (o * OH + oh) * OW).update(from: product + o * n + oh * Wp, count: OW) }
                    }
                }
                if let bias { addBias(g, bias: bias, output: output + image * g.outChannels * plan.P) }
            }
        }
    }

    /// output (O, OH, OW) of one image += bias (O).
    static func addBias(_ g: Conv2dGeometry, bias: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let P = g.outHeight * g.outWidth
        for o in 0..<g.outChannels {
            let row = output + o * P, v = bias[o]
            for i in 0..<P { row[i] += v }
        }
    }

    /// Overwrites gradInput (N, C, H, W) with ∂L/∂input given gradOutput (N, O, OH, OW).
    public static func backwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>,
                                     weight: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        let options = KernelOptions.current
        // Stride 1: every input pixel gathers gradOut through the mirrored kernel, a forward convolution
        // of gradOut (N, O, OH, OW) with weight (C, O/groups, KH, KW) flipped, padded d·(K − 1) − p.
        let padH = g.dilationH * (g.kernelHeight - 1) - g.padH, padW = g.dilationW * (g.kernelWidth - 1) - g.padW
        let plan = Plan(g, options: options)
        if g.strideH == 1 && g.strideW == 1 && padH >= 0 && padW >= 0 && !plan.isPointwise {
            let t = Conv2dGeometry(batch: g.batch, inChannels: g.outChannels, inHeight: g.outHeight, inWidth: g.outWidth,
                                   outChannels: g.inChannels, kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth,
                                   padH: padH, padW: padW, dilationH: g.dilationH, dilationW: g.dilationW, groups: g.groups)
            if t.isValid && t.outHeight == g.inHeight && t.outWidth == g.inWidth {
                ScratchPool.shared.withBuffer(count: g.weightCount) { flipped in
                    flipForInputGradient(g, weight: weight, into: flipped)
                    forward(Plan(t, options: options), input: gradOutput, weight: flipped, bias: nil, output: gradInput)
                }
                return
            }
        }
        forEachImage(plan, workspace: plan.columnCount) { n, gemmThreads, col in
            for group in 0..<g.groups {
                let image = gradInput + (n * g.inChannels + group * plan.Cg) * plan.HW
                let dOut = gradOutput + (n * g.outChannels + group * plan.Og) * plan.P
                // A 1x1 stride-1 convolution's column matrix is the image itself: write it directly.
                let target = plan.isPointwise ? image : col
                GEMM.sgemm(transA: true, transB: false, m: plan.K, n: plan.P, k: plan.Og, alpha: 1,
                           a: weight + group * plan.Og * plan.K, lda: plan.K, b: dOut, ldb: plan.P,
                           beta: 0, c: target, ldc: plan.P, kernel: plan.kernel, threads: gemmThreads,
                           blocking: plan.blocking)
                if !plan.isPointwise {
                    image.update(repeating: 0, count: plan.Cg * plan.HW)
                    col2im(g, col: col, image: image)
                }
            }
        }
    }
}
