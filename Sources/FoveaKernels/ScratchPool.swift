#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reusable 64-byte-aligned Float buffers for packing panels and im2col workspaces.
///
/// Why: measured on the development VMs, the first touch of freshly allocated memory costs 1–2 s/GiB
/// (page faults), reused memory ~0.13 s/GiB. Kernels borrow a buffer for the duration of a call and give it
/// back; buffers grow to the largest size asked for and are kept. Safe to use from many threads.
final class ScratchPool: @unchecked Sendable {
    /// The process-wide pool used by GEMM and Conv2d.
    static let shared = ScratchPool()

    private struct Buffer { var pointer: UnsafeMutablePointer<Float>; var capacity: Int }
    private var free: [Buffer] = []
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    private init() { pthread_mutex_init(mutex, nil) }

    /// Runs `body` with a buffer of at least `count` Floats (uninitialised contents).
    func withBuffer<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        var buffer = take(count: count)
        defer { give(buffer) }
        if buffer.capacity < count {
            buffer.pointer.deallocate()
            // Grow geometrically so a slowly rising size does not reallocate every call.
            let capacity = max(count, buffer.capacity + buffer.capacity / 2)
            let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Float>.stride, alignment: 64)
            buffer = Buffer(pointer: raw.bindMemory(to: Float.self, capacity: capacity), capacity: capacity)
        }
        return try body(buffer.pointer)
    }

    /// Takes the smallest free buffer that fits, else the largest free one (to be grown), else a new empty one.
    private func take(count: Int) -> Buffer {
        pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }
        var best = -1
        for (i, b) in free.enumerated() {
            if best < 0 { best = i; continue }
            let fitsB = b.capacity >= count, fitsBest = free[best].capacity >= count
            if fitsB && (!fitsBest || b.capacity < free[best].capacity) { best = i }
            else if !fitsB && !fitsBest && b.capacity > free[best].capacity { best = i }
        }
        if best >= 0 { return free.remove(at: best) }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        return Buffer(pointer: raw.bindMemory(to: Float.self, capacity: 16), capacity: 16)
    }

    private func give(_ buffer: Buffer) {
        pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }
        free.append(buffer)
    }
}
