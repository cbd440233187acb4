import Dispatch

/// Fovea's threading model: a kernel splits its outermost independent loop into `chunks` pieces and
/// runs them with `DispatchQueue.concurrentPerform` (one worker per core). Each chunk writes a disjoint
/// part of the output, so results do not depend on scheduling (bitwise deterministic).
public enum Parallel {
    /// Worker count: the number of active cores, or `FOVEA_THREADS` when set.
    public static let threadCount: Int = {
        if let s = getenvString("FOVEA_THREADS"), let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfoLite.activeProcessorCount)
    }()

    /// Runs `body(i)` for `i` in `0..<count`, spread over the workers. Work below `minimumPerChunk`
    /// items per worker runs inline to avoid dispatch overhead.
    @inlinable
    public static func forEach(_ count: Int, minimumPerChunk: Int = 1, _ body: (Int) -> Void) {
        if count <= 0 { return }
        let workers = min(threadCount, max(1, count / max(1, minimumPerChunk)))
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

    /// Splits `0..<count` into `threadCount` contiguous ranges and runs `body(range)` for each.
    @inlinable
    public static func forRanges(_ count: Int, minimumPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let workers = min(threadCount, max(1, count / max(1, minimumPerChunk)))
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

@usableFromInline func getenvString(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}

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
