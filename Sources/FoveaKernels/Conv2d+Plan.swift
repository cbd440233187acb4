extension Conv2d {
    /// Derived sizes, kernel choices and the threading split of one convolution call.
    struct Plan {
        let g: Conv2dGeometry
        /// The options the call runs with, read once at its entry (workers cannot see the caller's scope).
        let options: KernelOptions
        /// Shorthands for `options.microKernel` and `options.gemmBlocking`.
        let kernel: GEMM.MicroKernel, blocking: GEMM.Blocking
        /// Channels per group in and out, input plane size, output plane size P = OH·OW, and K = Cg·KH·KW.
        let Cg: Int, Og: Int, HW: Int, P: Int, K: Int
        /// 1x1, stride 1, no padding: the column matrix is the input itself (no im2col).
        let isPointwise: Bool
        /// Threads that each take a contiguous range of images (1: images in turn, GEMM threaded).
        let imageWorkers: Int

        init(_ g: Conv2dGeometry, options: KernelOptions) {
            self.g = g
            self.options = options
            kernel = options.microKernel; blocking = options.gemmBlocking
            hasDirectKernels = options.usesDirectConvolution
            Cg = g.inChannelsPerGroup; Og = g.outChannelsPerGroup
            HW = g.inHeight * g.inWidth; P = g.outHeight * g.outWidth
            K = Cg * g.kernelHeight * g.kernelWidth
            isPointwise = g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideH == 1 && g.strideW == 1
                && g.padH == 0 && g.padW == 0
            imageWorkers = min(options.threads, g.batch)
        }

        /// Floats of im2col workspace per image when GEMM runs multi-threaded (one image at a time).
        var columnCount: Int { isPointwise ? 0 : K * P }
        /// Stride-1 forward products (and so input gradients) run on the direct kernels of
        /// fovea_conv_direct.h (AVX-512 only) instead of a GEMM over packed panels: never slower in
        /// the cases measured, much faster with few output channels (a packed panel then serves
        /// one or two channel tiles). The weight gradient also checks the channel count.
        var usesDirectShiftedKernels: Bool {
            hasDirectKernels && g.strideH == 1 && g.strideW == 1 && !isPointwise
        }
        /// `options.usesDirectConvolution`: by default with the AVX-512 GEMM kernels.
        let hasDirectKernels: Bool

        /// True when threads split the batch and each runs a single-threaded GEMM.
        var splitsImages: Bool { imageWorkers >= 2 }
        /// The first image of worker `w`'s range (ranges as in `Parallel.forRanges`).
        func firstImage(of w: Int) -> Int { g.batch * w / imageWorkers }
        /// The worker whose range holds image `n`.
        func worker(of n: Int) -> Int {
            var w = 0
            while w + 1 < imageWorkers && firstImage(of: w + 1) <= n { w += 1 }
            return w
        }
    }

    /// Runs `body(n, gemmThreads, workspace)` for every image `n`: in parallel over image ranges when
    /// there are at least two workers (each with its own workspace of `workspace` Floats, GEMM
    /// single-threaded), else in order with every thread inside GEMM.
    static func forEachImage(_ plan: Plan, workspace: Int, _ body: (Int, Int, UnsafeMutablePointer<Float>) -> Void) {
        let workers = plan.imageWorkers
        if workers <= 1 {
            ScratchPool.shared.withBuffer(count: workspace) { col in
                for n in 0..<plan.g.batch { body(n, plan.options.threads, col) }
            }
            return
        }
        Parallel.forEach(workers, threads: workers) { w in
            ScratchPool.shared.withBuffer(count: workspace) { col in
                for n in plan.firstImage(of: w)..<plan.firstImage(of: w + 1) { body(n, 1, col) }
            }
        }
    }
}
