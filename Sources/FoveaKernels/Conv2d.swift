/// 2-D convolution on NCHW buffers, as im2col + SGEMM per image and group.
///
/// Shapes (see `Conv2dGeometry`): input (N, C, H, W), weight (O, C/groups, KH, KW), bias (O),
/// output (N, O, OH, OW). With `K = C/groups·KH·KW` and `P = OH·OW`, per image and group:
/// forward `out (Og × P) = W_g (Og × K) · col (K × P)`, backward-input `colGrad (K × P) = W_gᵀ · gradOut`
/// then col2im, backward-weight `gradW_g (Og × K) += gradOut (Og × P) · colᵀ`.
///
/// Threading: when the batch has at least two images, threads take contiguous ranges of
/// images, each with its own im2col workspace and a single-threaded GEMM (no synchronisation inside
/// the product); otherwise images run one after another with a multi-threaded GEMM. Weight gradients
/// are summed per thread and reduced in thread order, so results are bitwise reproducible for a given
/// thread count. Depthwise convolutions work here too (correct, not fast).
public enum Conv2d {
    /// Writes output (N, O, OH, OW) = conv(input (N, C, H, W), weight (O, C/groups, KH, KW)) + bias (O).
    public static func forward(_ g: Conv2dGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        let plan = Plan(g)
        forEachImage(plan) { n, gemmThreads, col in
            for group in 0..<g.groups {
                let image = input + (n * g.inChannels + group * plan.Cg) * plan.HW
                let out = output + (n * g.outChannels + group * plan.Og) * plan.P
                let b: UnsafePointer<Float>
                if plan.isPointwise { b = image } else { im2col(g, image: image, col: col); b = UnsafePointer(col) }
                GEMM.sgemm(transA: false, transB: false, m: plan.Og, n: plan.P, k: plan.K, alpha: 1,
                           a: weight + group * plan.Og * plan.K, lda: plan.K, b: b, ldb: plan.P,
                           beta: 0, c: out, ldc: plan.P, kernel: .best, threads: gemmThreads)
            }
            if let bias {
                let out = output + n * g.outChannels * plan.P
                for o in 0..<g.outChannels {
                    let row = out + o * plan.P, v = bias[o]
                    for i in 0..<plan.P { row[i] += v }
                }
            }
        }
    }

    /// Overwrites gradInput (N, C, H, W) with ∂L/∂input given gradOutput (N, O, OH, OW).
    public static func backwardInput(_ g: Conv2dGeometry, gradOutput: UnsafePointer<Float>,
                                     weight: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        let plan = Plan(g)
        forEachImage(plan) { n, gemmThreads, col in
            for group in 0..<g.groups {
                let image = gradInput + (n * g.inChannels + group * plan.Cg) * plan.HW
                let dOut = gradOutput + (n * g.outChannels + group * plan.Og) * plan.P
                // A 1x1 stride-1 convolution's column matrix is the image itself: write it directly.
                let target = plan.isPointwise ? image : col
                GEMM.sgemm(transA: true, transB: false, m: plan.K, n: plan.P, k: plan.Og, alpha: 1,
                           a: weight + group * plan.Og * plan.K, lda: plan.K, b: dOut, ldb: plan.P,
                           beta: 0, c: target, ldc: plan.P, kernel: .best, threads: gemmThreads)
                if !plan.isPointwise {
                    image.update(repeating: 0, count: plan.Cg * plan.HW)
                    col2im(g, col: col, image: image)
                }
            }
        }
    }

    /// Overwrites gradWeight (O, C/groups, KH, KW) and, if non-nil, gradBias (O), given input
    /// (N, C, H, W) and gradOutput (N, O, OH, OW).
    public static func backwardWeight(_ g: Conv2dGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
        precondition(g.isValid, "invalid convolution geometry \(g)")
        let plan = Plan(g)
        let workers = plan.imageWorkers
        let count = g.weightCount + g.outChannels  // one partial sum per worker: weights then bias
        ScratchPool.shared.withBuffer(count: workers * count) { partials in
            forEachImage(plan) { n, gemmThreads, col in
                let worker = plan.worker(of: n)
                let first = n == plan.firstImage(of: worker)
                let dW = partials + worker * count, dB = dW + g.weightCount
                for group in 0..<g.groups {
                    let image = input + (n * g.inChannels + group * plan.Cg) * plan.HW
                    let dOut = gradOutput + (n * g.outChannels + group * plan.Og) * plan.P
                    let b: UnsafePointer<Float>
                    if plan.isPointwise { b = image } else { im2col(g, image: image, col: col); b = UnsafePointer(col) }
                    GEMM.sgemm(transA: false, transB: true, m: plan.Og, n: plan.K, k: plan.P, alpha: 1,
                               a: dOut, lda: plan.P, b: b, ldb: plan.P, beta: first ? 0 : 1,
                               c: dW + group * plan.Og * plan.K, ldc: plan.K, kernel: .best, threads: gemmThreads)
                }
                for o in 0..<g.outChannels {
                    let row = gradOutput + (n * g.outChannels + o) * plan.P
                    var s: Float = 0
                    for i in 0..<plan.P { s += row[i] }
                    dB[o] = first ? s : dB[o] + s
                }
            }
            // Fixed-order reduction over workers: deterministic for a given thread count.
            gradWeight.update(from: partials, count: g.weightCount)
            if let gradBias { gradBias.update(from: partials + g.weightCount, count: g.outChannels) }
            for w in 1..<max(1, workers) {
                let dW = partials + w * count
                for i in 0..<g.weightCount { gradWeight[i] += dW[i] }
                if let gradBias { for o in 0..<g.outChannels { gradBias[o] += dW[g.weightCount + o] } }
            }
        }
    }
}
