import Foundation

/// A producer thread that makes batches `range` in order into a bounded queue.
///
/// The producer waits while `depth` batches are ready and unclaimed, so memory stays bounded and
/// the consumer finds the next batch made while it was computing. `stop()` wakes and joins the
/// thread. The thread holds only this object, never the `BatchIterator`, so dropping the iterator
/// runs its `deinit`, which stops the thread.
final class Prefetcher: @unchecked Sendable {  // all mutable state is guarded by `condition`
    private let condition = NSCondition()
    private var ready: [Batch] = []
    private var cancelled = false
    private var finished = false
    private var joined = false
    private let exited = DispatchSemaphore(value: 0)

    init(batches range: Range<Int>, depth: Int, make: @escaping @Sendable (Int) -> Batch) {
        Prefetcher.liveThreads.add(1)
        let thread = Thread { [self] in
            for index in range {
                condition.lock()
                while ready.count >= depth && !cancelled { condition.wait() }
                let stop = cancelled
                condition.unlock()
                if stop { break }
                let batch = make(index)
                condition.lock()
                ready.append(batch)
                condition.broadcast()
                condition.unlock()
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
            Prefetcher.liveThreads.add(-1)
            exited.signal()
        }
        thread.name = "FoveaData.prefetch"
        thread.start()
    }

    /// The next batch in order, waiting for it if need be; nil once the producer has stopped.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let batch = ready.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Cancels production and waits for the thread to exit (it finishes the batch in hand first).
    func stop() {
        condition.lock()
        cancelled = true
        let alreadyJoined = joined
        joined = true
        condition.broadcast()
        condition.unlock()
        if !alreadyJoined { exited.wait() }
    }

    /// A process-wide count of live producer threads.
    static let liveThreads = AtomicCounter()
}

/// An integer guarded by a lock.
final class AtomicCounter: @unchecked Sendable {  // `count` is only touched under `lock`
    private let lock = NSLock()
    private var count = 0

    func add(_ delta: Int) { lock.lock(); count += delta; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
