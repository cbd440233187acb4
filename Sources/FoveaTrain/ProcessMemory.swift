import Foundation

/// This process's memory as Linux reports it in `/proc/self/status` (nil elsewhere).
public enum ProcessMemory {
    /// Resident set size now (`VmRSS`), in bytes.
    public static var residentBytes: Int? { statusField("VmRSS") }

    /// The most resident memory so far (`VmHWM`, "high water mark"), in bytes; since the last
    /// `resetPeak()` when that succeeded.
    public static var peakResidentBytes: Int? { statusField("VmHWM") }

    /// Restarts the high-water mark at the current resident size (writes `5` to
    /// `/proc/self/clear_refs`, Linux ≥ 4.0). Returns false when the kernel refused.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// A `kB` field of `/proc/self/status`, in bytes.
    static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let number = line.dropFirst(name.count + 1).split(separator: " ").first
            return number.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
