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
        guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
        let written = fputs("5", file) >= 0
        return fclose(file) == 0 && written
    }

    /// A `kB` field of `/proc/self/status`, in bytes.
    static func statusField(_ name: String) -> Int? {
        // /proc files report size 0, so read line by line rather than by the file's size.
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix(name + ":") else { continue }
            return text.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
