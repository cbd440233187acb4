import CFoveaKernels

/// Process-wide tuning of the C allocator, which the library never does on its own.
public enum Allocator {
    /// Keeps freed memory in the process for reuse: on glibc, large blocks come from the heap instead
    /// of fresh `mmap`s and the heap is not trimmed back to the system (`mallopt`). Training and
    /// inference allocate the same activation sizes every step, and first-touching fresh pages costs
    /// 0.7–2 s per GiB on our VMs, so a program that runs many steps should call this once at startup
    /// (the `fovea` command does). It changes `malloc` for the whole process, so a library user decides.
    /// Returns whether it applied (false off glibc). Safe to call more than once.
    @discardableResult
    public static func keepFreedMemory() -> Bool {
        fovea_keep_freed_memory() != 0
    }
}
