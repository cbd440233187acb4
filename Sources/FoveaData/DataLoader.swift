import FoveaTensor

/// Turns an `ImageDataset` into mini-batches: seeded shuffling, optional drop-last, scaling to
/// [0, 1], per-channel normalisation and augmentation, with batches prepared ahead on a
/// background thread.
///
/// Determinism: epoch `e`'s order is a Fisher–Yates shuffle from a generator seeded by
/// `(seed, e)`, and the sample at position `p` of that order is augmented by a generator seeded by
/// `(seed, e, p)`. Nothing else is random, so a batch is a pure function of
/// `(loader, epoch, batch index)`: prefetching cannot change it, and `DataLoaderPosition`
/// (seed, epoch, batch) is the whole state a checkpoint needs.
///
/// ```swift
/// let loader = try DataLoader(dataset: train, batchSize: 128, normalization: .fashionMNIST, seed: 42)
/// for epoch in 0..<10 {
///     for batch in loader.batches(epoch: epoch) { /* batch.images: (128, 1, 28, 28) */ }
/// }
/// ```
public struct DataLoader: Sendable {
    /// The images and labels.
    public let dataset: ImageDataset
    /// Images per batch (the last batch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether each epoch visits the images in a fresh random order (else in dataset order).
    public let shuffle: Bool
    /// Whether to skip a final batch smaller than `batchSize`.
    public let dropLast: Bool
    /// Per-channel normalisation after scaling to [0, 1]; nil leaves values in [0, 1].
    public let normalization: Normalization?
    /// Random per-sample transforms.
    public let augmentation: Augmentation
    /// The seed every random decision derives from.
    public let seed: UInt64
    /// Batches prepared ahead on a background thread; 0 makes them on the caller's thread.
    public let prefetch: Int

    /// `byte → value` for each channel: `(byte / 255 − mean[c]) / std[c]`; `(C, 256)`.
    private let lookup: [Float]

    /// A loader; throws a `ConfigurationError` for an empty dataset (or one `dropLast` would leave
    /// without a batch), a non-positive batch size, a normalisation whose channel count differs
    /// from the dataset's, or out-of-range augmentation settings.
    public init(dataset: ImageDataset, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false,
                normalization: Normalization? = nil, augmentation: Augmentation = .none,
                seed: UInt64 = 0, prefetch: Int = 2) throws {
        guard batchSize > 0 else { throw configurationError("batchSize must be positive, got \(batchSize)") }
        // Training or evaluating on no images would "succeed" with meaningless metrics.
        guard dataset.count > 0 else { throw configurationError("the dataset has 0 images") }
        guard !dropLast || dataset.count >= batchSize else {
            throw configurationError("dropLast with batchSize \(batchSize) leaves no batch from \(dataset.count) images")
        }
        guard prefetch >= 0 else { throw configurationError("prefetch must be ≥ 0, got \(prefetch)") }
        if let normalization, normalization.mean.count != dataset.channels {
            throw configurationError("normalisation has \(normalization.mean.count) channels, the dataset \(dataset.channels)")
        }
        try augmentation.validate()
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.normalization = normalization
        self.augmentation = augmentation
        self.seed = seed
        self.prefetch = prefetch
        lookup = (0..<dataset.channels).flatMap { c in
            let mean = normalization?.mean[c] ?? 0, std = normalization?.std[c] ?? 1
            return (0..<256).map { (Float($0) / 255 - mean) / std }
        }
    }

    /// Batches per epoch: ⌊N / B⌋ with `dropLast`, else ⌈N / B⌉.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the dataset's indices.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        var rng = SeedStreams.generator(seed: seed, .shuffle, epoch: epoch)
        return rng.permutation(dataset.count)
    }

    /// Batch `index` of epoch `epoch`, made on the caller's thread (the reference for what the
    /// background thread produces).
    public func batch(epoch: Int, index: Int) -> Batch {
        makeBatch(order: order(epoch: epoch), epoch: epoch, index: index)
    }

    /// The batches of epoch `epoch`, from batch `start` on; prepared ahead on a background thread
    /// when `prefetch > 0`.
    public func batches(epoch: Int, startingAt start: Int = 0) -> BatchIterator {
        BatchIterator(loader: self, epoch: epoch, start: start)
    }

    /// The batches from a saved position on; throws if it was saved with another seed.
    public func batches(resumingFrom position: DataLoaderPosition) throws -> BatchIterator {
        guard position.seed == seed else {
            throw configurationError("position was saved with seed \(position.seed), this loader's seed is \(seed)")
        }
        return batches(epoch: position.epoch, startingAt: position.batch)
    }

    /// Makes batch `index` of an epoch whose order is `order`.
    func makeBatch(order: [Int], epoch: Int, index: Int) -> Batch {
        precondition(index >= 0 && index < batchCount, "batch \(index) out of range 0..<\(batchCount)")
        let start = index * batchSize
        let indices = Array(order[start..<min(start + batchSize, order.count)])
        let (C, H, W) = (dataset.channels, dataset.height, dataset.width)
        let size = C * H * W
        let images = Tensor(shape: [indices.count, C, H, W]) { out in
            for (k, source) in indices.enumerated() {
                let image = UnsafeMutableBufferPointer(rebasing: out[k * size..<(k + 1) * size])
                writeSample(source, into: image, epoch: epoch, position: start + k)
            }
        }
        return Batch(images: images, labels: indices.map { dataset.labels[$0] }, indices: indices)
    }

    /// Writes dataset image `source`, transformed, into `image` `(C, H, W)`.
    private func writeSample(_ source: Int, into image: UnsafeMutableBufferPointer<Float>, epoch: Int, position: Int) {
        let (C, H, W) = (dataset.channels, dataset.height, dataset.width)
        let base = source * C * H * W
        dataset.pixels.withUnsafeBufferPointer { pixels in
            lookup.withUnsafeBufferPointer { lookup in
                guard !augmentation.isIdentity else {
                    for c in 0..<C {
                        let table = lookup.baseAddress! + 256 * c
                        for i in c * H * W..<(c + 1) * H * W { image[i] = table[Int(pixels[base + i])] }
                    }
                    return
                }
                var rng = SeedStreams.generator(seed: seed, .augment, epoch: epoch, position: position)
                // Crop offsets relative to the unpadded image: output (y, x) reads source (y + dy, x + dx).
                let padding = augmentation.cropPadding
                let dy = padding > 0 ? rng.nextIndex(below: 2 * padding + 1) - padding : 0
                let dx = padding > 0 ? rng.nextIndex(below: 2 * padding + 1) - padding : 0
                let flip = augmentation.horizontalFlipProbability > 0 && rng.nextUnitFloat() < augmentation.horizontalFlipProbability
                for c in 0..<C {
                    let table = lookup.baseAddress! + 256 * c
                    let zero = table[0]  // zero padding is a black pixel, normalised like any other
                    for y in 0..<H {
                        let out = (c * H + y) * W
                        let sy = y + dy
                        guard sy >= 0 && sy < H else {
                            for x in 0..<W { image[out + x] = zero }
                            continue
                        }
                        let row = base + (c * H + sy) * W
                        for x in 0..<W {
                            // Flip after crop: output column x shows cropped column W − 1 − x.
                            let sx = (flip ? W - 1 - x : x) + dx
                            image[out + x] = sx >= 0 && sx < W ? table[Int(pixels[row + sx])] : zero
                        }
                    }
                }
                augmentation.erasing?.apply(to: image, channels: C, height: H, width: W, using: &rng)
            }
        }
    }
}
