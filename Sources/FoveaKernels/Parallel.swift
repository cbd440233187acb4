import Dispatch

/// Fovea's threading model: a kernel splits its outermost independent loop into `chunks` pieces and
/// runs them with `DispatchQueue.concurrentPerform` (one worker per core). Each chunk writes a disjoint
/// part of the output, so results do not depend on scheduling (bitwise deterministic).
///
/// There is no thread pool of Fovea's own: each call asks Dispatch for its workers, so a different
/// `threads` per call (or per `KernelOptions` scope) is safe.
public enum Parallel {
    /// Worker count in the current scope: `KernelOptions.current.threads`.
    public static var threadCount: Int { KernelOptions.current.threads }

    /// Runs `body(i)` for `i` in `0..<count`, spread over the workers. Work below `minimumPerChunk`
    /// items per worker runs inline to avoid dispatch overhead. `threads` defaults to `threadCount`
    /// (read here, on the calling thread); kernels calling from inside a worker pass theirs.
    @inlinable
    public static func forEach(_ count: Int, minimumPerChunk: Int = 1, threads: Int = Parallel.threadCount,
                               _ body: (Int) -> Void) {
        if count <= 0 { return }
        let workers = min(threads, max(1, count / max(1, minimumPerChunk)))
        if workers <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Chunks write disjoint memory; the closure is only shared for the duration of this call.
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: count) { i in body(i) }
        }
    }

    /// Splits `0..<count` into `threads` contiguous ranges (fewer when each would hold under
    /// `minimumPerChunk` items) and runs `body(range)` for each.
    @inlinable
    public static func forRanges(_ count: Int, minimumPerChunk: Int = 1, threads: Int = Parallel.threadCount,
                                 _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let workers = min(threads, max(1, count / max(1, minimumPerChunk)))
        if workers <= 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = count * w / workers, hi = count * (w + 1) / workers
                if lo < hi { body(lo..<hi) }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Core count without Foundation (kernels stay Foundation-free).
@usableFromInline enum ProcessInfoLite {
    @usableFromInline static var activeProcessorCount: Int {
        #if canImport(Glibc) || canImport(Darwin)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}
