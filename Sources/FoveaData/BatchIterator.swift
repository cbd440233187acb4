/// The batches of one epoch, in order; a `Sequence` to use in a `for` loop.
///
/// With `prefetch > 0` a background thread prepares up to that many batches ahead. Dropping the
/// iterator (or calling `stop()`) stops and joins that thread, so breaking out of a loop early
/// leaks nothing.
public final class BatchIterator: IteratorProtocol, Sequence {
    /// The loader the batches come from.
    public let loader: DataLoader
    /// The epoch being iterated.
    public let epoch: Int
    /// The index of the batch `next()` returns next.
    public private(set) var nextBatch: Int

    private let order: [Int]
    private var producer: Prefetcher?
    private var stopped = false

    init(loader: DataLoader, epoch: Int, start: Int) {
        precondition(start >= 0, "starting batch must be ≥ 0, got \(start)")
        self.loader = loader
        self.epoch = epoch
        self.nextBatch = start
        let order = loader.order(epoch: epoch)
        self.order = order
        if loader.prefetch > 0 && start < loader.batchCount {
            producer = Prefetcher(batches: start..<loader.batchCount, depth: loader.prefetch) { index in
                loader.makeBatch(order: order, epoch: epoch, index: index)
            }
        }
    }

    deinit { producer?.stop() }

    /// The next batch, or nil at the end of the epoch (or after `stop()`).
    public func next() -> Batch? {
        guard !stopped, nextBatch < loader.batchCount else {
            stop()
            return nil
        }
        let batch = producer?.take() ?? loader.makeBatch(order: order, epoch: epoch, index: nextBatch)
        nextBatch += 1
        return batch
    }

    /// Ends the iteration early and joins the background thread; `next()` then returns nil.
    public func stop() {
        stopped = true
        producer?.stop()
        producer = nil
    }

    /// The position of the next batch, for a checkpoint; after the last batch of epoch `e` it is
    /// batch 0 of epoch `e + 1`.
    public var position: DataLoaderPosition {
        nextBatch >= loader.batchCount
            ? DataLoaderPosition(seed: loader.seed, epoch: epoch + 1, batch: 0)
            : DataLoaderPosition(seed: loader.seed, epoch: epoch, batch: nextBatch)
    }

    /// Background producer threads currently alive in this process (for diagnostics and tests).
    public static var liveProducerThreads: Int { Prefetcher.liveThreads.value }
}
