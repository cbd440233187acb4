import FoveaTensor

/// Occlusion sensitivity: Zeiler & Fergus 2014, "Visualizing and Understanding Convolutional
/// Networks", arXiv:1311.2901 §4.2. A `window × window` patch (all channels) set to `baseline`
/// slides with `stride`; each pixel gets the mean drop of the target logit, `S(x) − S(x_occluded)`,
/// over the windows covering it. Window placement follows Captum's `Occlusion`: starts at
/// `0, stride, …` with `⌈(H − window)/stride⌉ + 1` positions per axis, the last one cut at the edge.
/// All occluded copies run in passes of at most `batchSize` images.
public struct Occlusion: AttributionMethod {
    public var window: Int
    public var stride: Int
    public var baseline: Float
    public var batchSize: Int

    public init(window: Int = 4, stride: Int = 2, baseline: Float = 0, batchSize: Int = 128) {
        self.window = window; self.stride = stride; self.baseline = baseline; self.batchSize = batchSize
    }
    public var kind: AttributionKind { .occlusion }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        let (N, C, H, W) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        guard window > 0, stride > 0, stride <= window, window <= min(H, W) else {
            throw ConfigurationError(owner: "occlusion", "need 0 < stride ≤ window ≤ image side (\(min(H, W))), got window \(window), stride \(stride)")
        }
        func starts(_ size: Int) -> [Int] { (0...((size - window + stride - 1) / stride)).map { $0 * stride } }
        let ys = starts(H), xs = starts(W)
        let per = C * H * W, positions = ys.count * xs.count
        let clean = try explainer.logits(input, batchSize: batchSize)
        let chosen = try explainer.resolveTargets(targets, logits: clean)
        let K = clean.shape[1]
        var total = Tensor(shape: [N, H, W]), counts = Tensor(shape: [H, W])
        for y0 in ys { for x0 in xs { for y in y0..<min(y0 + window, H) { for x in x0..<min(x0 + window, W) { counts.storage[y * W + x] += 1 } } } }
        let rowsTotal = N * positions
        for start in Swift.stride(from: 0, to: rowsTotal, by: batchSize) {
            let end = min(start + batchSize, rowsTotal)
            var rows = [Float](); rows.reserveCapacity((end - start) * per)
            for r in start..<end {
                let (n, p) = (r / positions, r % positions)
                var image = input.item(n).storage
                let (y0, x0) = (ys[p / xs.count], xs[p % xs.count])
                for c in 0..<C { for y in y0..<min(y0 + window, H) { for x in x0..<min(x0 + window, W) { image[(c * H + y) * W + x] = baseline } } }
                rows += image
            }
            let scores = try explainer.logits(Tensor(shape: [end - start, C, H, W], storage: rows), batchSize: batchSize)
            for r in start..<end {
                let (n, p) = (r / positions, r % positions)
                let drop = clean.storage[n * K + chosen[n]] - scores.storage[(r - start) * K + chosen[n]]
                let (y0, x0) = (ys[p / xs.count], xs[p % xs.count])
                for y in y0..<min(y0 + window, H) { for x in x0..<min(x0 + window, W) { total.storage[(n * H + y) * W + x] += drop } }
            }
        }
        // Same value in every channel, as Captum returns it for a window spanning all channels.
        var values = Tensor(shape: input.shape)
        for n in 0..<N { for c in 0..<C { for q in 0..<(H * W) { values.storage[(n * C + c) * H * W + q] = total.storage[n * H * W + q] / counts.storage[q] } } }
        return Attribution(method: kind, values: values, targets: chosen, reduction: .positiveMean)
    }
}
