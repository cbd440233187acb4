import CFoveaKernels

extension Conv2d {
    /// Overwrites gradWeight (O, C/groups, KH, KW) and, if non-nil, gradBias (O), given input
    /// (N, C, H, W) and gradOutput (N, O, OH, OW).
    ///
    /// Per image and group `gradW_g (Og × K) += gradOut (Og × P) · colᵀ (P × K)`: the reduction runs
    /// over pixels. When threads split the batch, each worker takes its own images:
    /// - stride 1, ≤ 16 output channels per group, AVX-512: the image is zero-padded, gradOut spread
    ///   over the padded width, and the direct kernel takes dot products along the shifted rows;
    /// - otherwise the image is transposed to zero-padded (H, W, Cg) and colᵀ packed with taps ordered
    ///   (kh, kw, c), so every packed row is a few contiguous channel runs; its partial sum is then
    ///   permuted back to (c, kh, kw) in the fixed-order reduction.
    public static func backwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        let plan = Plan(g, options: .current)
        // The direct kernel re-reads each image row once per 4 output channels; beyond ~16 the packed
        // GEMM's reuse wins (64→64 3x3 at 56x56: 1.1x slower direct, 16→16 at 32x32: 1.3x faster).
        let direct = plan.splitsImages && plan.usesDirectShiftedKernels && plan.Og <= 16
        let workers = plan.imageWorkers, tapsLast = plan.splitsImages && !direct
        let kernel = plan.kernel
        let count = g.weightCount + g.outChannels  // one partial sum per worker: weights then bias
        let offsets = direct ? shiftedOffsets(g) : []
        let paddedCount = paddedImageCount(g, nr: kernel.nr), columns = shiftedColumns(g)
        let workspace = direct ? paddedCount + plan.Og * columns
            : tapsLast ? plan.Cg * (g.inHeight + 2 * g.padH) * (g.inWidth + 2 * g.padW) : plan.columnCount
        ScratchPool.shared.withBuffer(count: workers * count) { partials in
            forEachImage(plan, workspace: workspace) { n, gemmThreads, work in
                let worker = plan.worker(of: n)
                let first = n == plan.firstImage(of: worker)
                let dW = partials + worker * count, dB = dW + g.weightCount
                for group in 0..<g.groups {
                    let image = input + (n * g.inChannels + group * plan.Cg) * plan.HW
                    let dOut = gradOutput + (n * g.outChannels + group * plan.Og) * plan.P
                    let c = dW + group * plan.Og * plan.K
                    if direct {
                        let padded = work, spread = work + paddedCount
                        padImage(g, image: image, padded: padded, nr: kernel.nr)
                        spreadOverPaddedWidth(g, gradOutput: dOut, into: spread)
                        offsets.withUnsafeBufferPointer {
                            fovea_conv_shifted_weight_grad(plan.Og, columns, plan.K, spread, columns, padded,
                                                           $0.baseAddress!, c, first ? 0 : 1)
                        }
                    } else if tapsLast {
                        transposeToPaddedHWC(g, image: image, hwc: work)
                        var shape = packShape(g)
                        let hwc = UnsafePointer(work), level = packLevel(kernel)
                        GEMM.serial(m: plan.Og, n: plan.K, k: plan.P, alpha: 1,
                                    a: GEMM.Operand(dOut, rowStride: plan.P, colStride: 1), beta: first ? 0 : 1,
                                    c: c, ldc: plan.K, kernel: kernel, blocking: plan.blocking) { pc, kc, jc, nc, dst in
                            // (H, W, Cg) image → B panels of colᵀ, pixels pc..<pc+kc, taps (kh, kw, c) jc..<jc+nc.
                            fovea_pack_pixel_tap_panels(level, &shape, hwc, pc, kc, jc, nc, kernel.nr, dst)
                        }
                    } else {
                        let b: UnsafePointer<Float>
                        if plan.isPointwise { b = image } else { im2col(g, image: image, col: work); b = UnsafePointer(work) }
                        GEMM.sgemm(transA: false, transB: true, m: plan.Og, n: plan.K, k: plan.P, alpha: 1,
                                   a: dOut, lda: plan.P, b: b, ldb: plan.P, beta: first ? 0 : 1,
                                   c: c, ldc: plan.K, kernel: kernel, threads: gemmThreads, blocking: plan.blocking)
                    }
                }
                for o in 0..<g.outChannels {
                    let row = gradOutput + (n * g.outChannels + o) * plan.P
                    var s: Float = 0
                    for i in 0..<plan.P { s += row[i] }
                    dB[o] = first ? s : dB[o] + s
                }
            }
            reducePartials(plan, partials: partials, workers: workers, tapsLast: tapsLast,
                           gradWeight: gradWeight, gradBias: gradBias)
        }
    }

    /// gradOut (Og, OH, OW) of one group → spread (Og, shiftedColumns(g)): row oh of channel o at
    /// column oh·Wp + ow, zero in the Wp − OW junk columns between rows.
    private static func spreadOverPaddedWidth(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>,
                                              into spread: UnsafeMutablePointer<Float>) {
        let (OH, OW, Wp) = (g.outHeight, g.outWidth, g.inWidth + 2 * g.padW)
        let columns = shiftedColumns(g)
        for o in 0..<g.outChannelsPerGroup {
            let row = spread + o * columns
            for oh in 0..<OH {
                (row + oh * Wp).update(from: gradOutput + (o * OH + oh) * OW, count: OW)
                if oh + 1 < OH { (row + oh * Wp + OW).update(repeating: 0, count: Wp - OW) }
            }
        }
    }

    /// gradWeight = Σ_w partial_w in worker order (deterministic), permuting (o, kh, kw, c) partials
    /// back to (o, c, kh, kw) when `tapsLast`.
    private static func reducePartials(_ plan: Plan, partials: UnsafeMutablePointer<Float>, workers: Int, tapsLast: Bool,
                                       gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
        let g = plan.g
        let count = g.weightCount + g.outChannels
        let (Cg, KHW) = (plan.Cg, g.kernelHeight * g.kernelWidth)
        for o in 0..<g.outChannels {
            for c in 0..<Cg {
                for t in 0..<KHW {
                    let source = o * plan.K + (tapsLast ? t * Cg + c : c * KHW + t)
                    var s = partials[source]
                    for w in 1..<max(1, workers) { s += partials[w * count + source] }
                    gradWeight[(o * Cg + c) * KHW + t] = s
                }
            }
            if let gradBias {
                var s = partials[g.weightCount + o]
                for w in 1..<max(1, workers) { s += partials[w * count + g.weightCount + o] }
                gradBias[o] = s
            }
        }
    }
}
