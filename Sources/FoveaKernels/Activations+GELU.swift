extension Activations {
    /// `y[i] = 0.5·x·(1 + erf(x/√2))` (GELU, exact form) eight lanes at a time, with no libm call:
    /// `1 + erf(z)` is `2 − q` for z ≥ 0 and `q` for z < 0, where `q = erfc(|z|)` comes from
    /// Abramowitz & Stegun 7.1.26 (`t = 1/(1 + p·|z|)`, a degree-5 polynomial in t times
    /// `exp(−z²)`; |error| ≤ 1.5e-7) and `exp` from Cephes' `expf` (range reduction by ln 2, degree-6
    /// polynomial). Using erfc for negative z keeps the tiny outputs accurate where `1 + erf`
    /// would cancel. Scalar `erff` made GELU ~8% of ConvNeXt-T inference; this is several times faster.
    /// `x` and `y` may be the same buffer.
    static func gelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            UnsafeMutableRawPointer(y + i).storeBytes(of: gelu8(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)),
                                                      as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            var tail = SIMD8<Float>()
            for j in 0..<(n - i) { tail[j] = x[i + j] }
            let out = gelu8(tail)
            for j in 0..<(n - i) { y[i + j] = out[j] }
        }
    }

    @inline(__always)
    static func gelu8(_ v: SIMD8<Float>) -> SIMD8<Float> {
        typealias V = SIMD8<Float>
        let z = v * V(repeating: 0.70710678118654752)
        let a = z.replacing(with: -z, where: z .< 0)
        let t = 1 / (1 + V(repeating: 0.3275911) * a)
        var poly = V(repeating: 1.061405429) * t + V(repeating: -1.453152027)
        poly = poly * t + V(repeating: 1.421413741)
        poly = poly * t + V(repeating: -0.284496736)
        poly = poly * t + V(repeating: 0.254829592)
        poly = poly * t
        let q = poly * exp8(-(a * a))
        let onePlusErf = q.replacing(with: 2 - q, where: z .>= 0)
        // NaN passes through: every step above keeps it.
        return V(repeating: 0.5) * v * onePlusErf
    }

    /// `e^x` for x ≤ 0 (Cephes `expf`): x = k·ln 2 + r with |r| ≤ ln 2 / 2, `e^r` by polynomial, `2^k`
    /// built in the exponent bits. Inputs below −87 flush to 0.
    @inline(__always)
    static func exp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        typealias V = SIMD8<Float>
        // NaN lanes become −87 too (so k stays an integer); the caller's product keeps the NaN.
        let clamped = x.replacing(with: V(repeating: -87), where: .!(x .>= -87))
        // Round to nearest by adding and subtracting 1.5·2^23 (no rounding instruction needed).
        let magic = V(repeating: 12_582_912)
        let biased = clamped * V(repeating: 1.44269504088896341) + magic
        let k = biased - magic
        let r = clamped - k * V(repeating: 0.693359375) - k * V(repeating: -2.12194440e-4)
        var p = V(repeating: 1.9875691500e-4) * r + V(repeating: 1.3981999507e-3)
        p = p * r + V(repeating: 8.3334519073e-3)
        p = p * r + V(repeating: 4.1665795894e-2)
        p = p * r + V(repeating: 1.6666665459e-1)
        p = p * r + V(repeating: 5.0000001201e-1)
        let er = p * r * r + r + 1
        // k as an integer without a conversion (Swift's SIMD float → int conversion is a slow generic
        // call): `biased` holds k in its low mantissa bits, on top of the magic number's.
        let kBits = unsafeBitCast(biased, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let exponent = (kBits &+ 127) &<< 23
        let result = er * unsafeBitCast(exponent, to: V.self)
        return result.replacing(with: V(), where: x .< -87)
    }
}
