import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A name of the form `writeAtomically` gives its temporary files: `.NAME.PID.RANDOM.tmp`.
struct StaleTemporaryFile {
    let pid: pid_t

    init?(name: String) {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let parts = name.dropFirst().dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts.dropLast(2).joined().isEmpty,
              let pid = pid_t(parts[parts.count - 2]), pid > 0, UInt32(parts[parts.count - 1]) != nil else { return nil }
        self.pid = pid
    }

    /// Whether its writer can no longer be writing it: that process is gone, or it is this one.
    var isStale: Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
