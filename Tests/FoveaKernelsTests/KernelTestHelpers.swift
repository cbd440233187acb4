import FoveaKernels
import FoveaTensor
import FoveaTestSupport

/// Small adapters so tests can call pointer kernels on arrays.
enum Buffers {
    /// Runs `body` with the arrays' base pointers (read-only inputs).
    static func read<R>(_ a: [Float], _ body: (UnsafePointer<Float>) -> R) -> R {
        a.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// A fresh array of `count` floats filled by `body`. Pre-filled with NaN so a kernel that skips
    /// an element (instead of overwriting it) is caught.
    static func make(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        out.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        return out
    }

    /// Optional read-only pointer for nil-able parameters.
    static func optional<R>(_ a: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let a else { return body(nil) }
        return a.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension Array where Element == Double {
    var floats: [Float] { map { Float($0) } }
}

extension Array where Element == Float {
    var doubles: [Double] { map { Double($0) } }
}
