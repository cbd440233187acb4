#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The elementwise nonlinearities Fovea's models use.
public enum ActivationKind: String, Sendable, CaseIterable {
    case relu, relu6, gelu, silu, hardswish, hardsigmoid, sigmoid, tanh
}

/// Elementwise activations over flat buffers of `count` floats (any shape; layout does not matter).
///
/// Boundary conventions follow PyTorch's CPU kernels so gradients agree bit-for-bit at the kinks:
/// `relu'(0) = 0` (threshold_backward keeps `x > 0`), `relu6' = 1` only for `0 < x < 6`
/// (hardtanh_backward), `hardsigmoid' = 1/6` for `−3 < x < 3`, and
/// `hardswish' = 0 / (x/3 + 1/2) / 1` for `x < −3 / −3 ≤ x ≤ 3 / x > 3`. NaN inputs propagate.
public enum Activations {
    /// Chunks below this many elements are not worth a second thread.
    @usableFromInline static let grain = 1 << 15

    /// `output[i] = f(input[i])` for `i < count`. GELU is the exact erf form `0.5·x·(1 + erf(x/√2))`.
    /// `input` and `output` may be the same buffer.
    public static func forward(_ kind: ActivationKind, input: UnsafePointer<Float>,
                               output: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forRanges(count, minimumPerChunk: grain) { r in
            let x = input + r.lowerBound, y = output + r.lowerBound, n = r.count
            switch kind {
            // `x < 0 ? 0 : x` rather than `max` so that NaN passes through, as torch.relu does.
            case .relu: clamp(x, y, n, upper: .infinity)
            case .relu6: clamp(x, y, n, upper: 6)
            case .hardsigmoid: for i in 0..<n { y[i] = hardsigmoid(x[i]) }
            case .hardswish: for i in 0..<n { let v = x[i]; y[i] = v * clamp6(v + 3) / 6 }
            case .sigmoid: for i in 0..<n { y[i] = sigmoid(x[i]) }
            case .silu: for i in 0..<n { let v = x[i]; y[i] = v * sigmoid(v) }
            case .tanh: for i in 0..<n { y[i] = tanhf(x[i]) }
            case .gelu: gelu(x, y, n)
            }
        }
    }

    /// `gradInput[i] = f'(input[i])·gradOutput[i]`; `output` must hold `f(input)` (sigmoid and tanh
    /// differentiate through it). Overwrites `gradInput`, which may alias `gradOutput`.
    public static func backward(_ kind: ActivationKind, input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forRanges(count, minimumPerChunk: grain) { r in
            let o = r.lowerBound, n = r.count
            let x = input + o, y = output + o, g = gradOutput + o, d = gradInput + o
            switch kind {
            // Branch-free masks: with signs that vary at random, a branch per element mispredicts
            // about half the time and costs ~10 ns (measured); SIMD selects do not branch.
            case .relu: maskedCopy(x, g, d, n, lower: 0, upper: .infinity)
            case .relu6: maskedCopy(x, g, d, n, lower: 0, upper: 6)
            case .hardsigmoid: for i in 0..<n { let v = x[i]; d[i] = (v > -3 && v < 3) ? g[i] * (1.0 / 6.0) : 0 }
            case .hardswish:
                for i in 0..<n {
                    let v = x[i]
                    d[i] = v < -3 ? 0 : (v <= 3 ? g[i] * (v / 3 + 0.5) : g[i])
                }
            case .sigmoid: for i in 0..<n { let s = y[i]; d[i] = g[i] * s * (1 - s) }
            case .tanh: for i in 0..<n { let t = y[i]; d[i] = g[i] * (1 - t * t) }
            case .silu:
                // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x))).
                for i in 0..<n { let v = x[i], s = sigmoid(v); d[i] = g[i] * s * (1 + v * (1 - s)) }
            case .gelu:
                // d/dx x·Φ(x) = Φ(x) + x·φ(x), φ the standard normal density.
                let invSqrt2 = Float(0.5).squareRoot(), invSqrt2Pi = 1 / Float(2 * Double.pi).squareRoot()
                for i in 0..<n {
                    let v = x[i]
                    let cdf = 0.5 * (1 + erff(v * invSqrt2))
                    d[i] = g[i] * (cdf + v * invSqrt2Pi * expf(-0.5 * v * v))
                }
            }
        }
    }

    /// `y[i] = min(max(x[i], 0), upper)` in SIMD8 blocks; NaN passes through, as torch.relu does.
    @inline(__always)
    static func clamp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, upper: Float) {
        typealias V = SIMD8<Float>
        let zero = V(), hi = V(repeating: upper)
        var i = 0
        while i + 8 <= n {
            var v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            v.replace(with: zero, where: v .< zero)
            v.replace(with: hi, where: v .> hi)
            UnsafeMutableRawPointer(y + i).storeBytes(of: v, as: V.self)
            i += 8
        }
        while i < n { let v = x[i]; y[i] = v < 0 ? 0 : (v > upper ? upper : v); i += 1 }
    }

    /// `d[i] = lower < x[i] < upper ? g[i] : 0` in SIMD8 blocks (NaN gives 0, as in PyTorch).
    @inline(__always)
    static func maskedCopy(_ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int,
                           lower: Float, upper: Float) {
        typealias V = SIMD8<Float>
        let lo = V(repeating: lower), hi = V(repeating: upper), zero = V()
        var i = 0
        while i + 8 <= n {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let keep = (xv .> lo) .& (xv .< hi)
            UnsafeMutableRawPointer(d + i).storeBytes(of: zero.replacing(with: gv, where: keep), as: V.self)
            i += 8
        }
        while i < n { let v = x[i]; d[i] = (v > lower && v < upper) ? g[i] : 0; i += 1 }
    }

    /// PyTorch's order of operations: `min(max(x + 3, 0), 6) / 6`.
    @inline(__always) static func hardsigmoid(_ v: Float) -> Float { clamp6(v + 3) / 6 }

    @inline(__always) static func clamp6(_ t: Float) -> Float { t < 0 ? 0 : (t > 6 ? 6 : t) }

    /// Logistic function written to avoid overflow of `exp(−x)` for large negative x.
    @inline(__always) static func sigmoid(_ v: Float) -> Float {
        if v >= 0 { return 1 / (1 + expf(-v)) }
        let e = expf(v)
        return e / (1 + e)
    }
}
