#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Naive twin of `Activations`: the definitions written plainly, generic so tests can run them in Double.
/// Transcendentals go through Double's libm.
public enum ActivationReference<T: BinaryFloatingPoint> {
    /// `f(x)` elementwise.
    public static func forward(_ kind: ActivationKind, _ x: [T]) -> [T] { x.map { value(kind, $0) } }

    /// `f'(x)·gradOutput` elementwise, with PyTorch's conventions at the kinks.
    public static func backward(_ kind: ActivationKind, _ x: [T], gradOutput: [T]) -> [T] {
        precondition(x.count == gradOutput.count)
        return zip(x, gradOutput).map { derivative(kind, $0) * $1 }
    }

    public static func value(_ kind: ActivationKind, _ x: T) -> T {
        let d = Double(x)
        switch kind {
        case .relu: return x > 0 ? x : (x.isNaN ? x : 0)
        case .relu6: return x.isNaN ? x : min(max(x, 0), 6)
        case .hardsigmoid: return min(max(x + 3, 0), 6) / 6
        case .hardswish: return x * min(max(x + 3, 0), 6) / 6
        case .sigmoid: return T(1 / (1 + exp(-d)))
        case .silu: return T(d / (1 + exp(-d)))
        case .tanh: return T(tanh(d))
        case .gelu: return T(0.5 * d * (1 + erf(d / 2.0.squareRoot())))
        }
    }

    public static func derivative(_ kind: ActivationKind, _ x: T) -> T {
        let d = Double(x)
        switch kind {
        case .relu: return x > 0 ? 1 : 0
        case .relu6: return x > 0 && x < 6 ? 1 : 0
        case .hardsigmoid: return x > -3 && x < 3 ? T(1.0 / 6.0) : 0
        case .hardswish: return x < -3 ? 0 : (x <= 3 ? x / 3 + T(0.5) : 1)
        case .sigmoid: let s = 1 / (1 + exp(-d)); return T(s * (1 - s))
        case .silu: let s = 1 / (1 + exp(-d)); return T(s * (1 + d * (1 - s)))
        case .tanh: let t = tanh(d); return T(1 - t * t)
        case .gelu:
            let cdf = 0.5 * (1 + erf(d / 2.0.squareRoot()))
            let pdf = exp(-0.5 * d * d) / (2 * Double.pi).squareRoot()
            return T(cdf + d * pdf)
        }
    }
}
