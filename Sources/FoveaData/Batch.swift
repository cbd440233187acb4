import FoveaTensor

/// One mini-batch: images ready for a network, their labels, and where they came from.
public struct Batch: Sendable, Equatable {
    /// Transformed images `(B, C, H, W)`: scaled to [0, 1], normalised, augmented.
    public var images: Tensor
    /// The class of each image; `(B)`.
    public var labels: [Int]
    /// Each image's index in the dataset; `(B)`.
    public var indices: [Int]
}

/// Where a run stands in its data: enough to resume it exactly.
///
/// Shuffling and augmentation are derived from `(seed, epoch, position)` alone (see `DataLoader`),
/// so no generator state needs saving: store these three numbers in a checkpoint and pass them to
/// `DataLoader.batches(resumingFrom:)`.
public struct DataLoaderPosition: Codable, Sendable, Equatable {
    /// The loader's seed.
    public var seed: UInt64
    /// The epoch of the next batch.
    public var epoch: Int
    /// The index, within `epoch`, of the next batch.
    public var batch: Int

    /// A position.
    public init(seed: UInt64, epoch: Int, batch: Int) {
        self.seed = seed
        self.epoch = epoch
        self.batch = batch
    }
}
