import FoveaTensor

/// Independent random streams derived from one seed.
///
/// Every random decision of the pipeline comes from a generator seeded by hashing
/// `(seed, purpose, epoch, position)`: the shuffle of epoch `e` and the augmentation of the sample at
/// position `p` of epoch `e` do not depend on anything drawn before them. So batches are identical
/// whether they are made on a background thread or inline, in any order, and a run resumes exactly
/// from `(seed, epoch, batch)` without saving any generator state.
enum SeedStreams {
    /// The purpose of a stream, mixed into its seed so streams never coincide.
    enum Purpose: UInt64 {
        case shuffle = 1
        case augment = 2
    }

    /// A generator for one `(purpose, epoch, position)` of a run seeded with `seed`.
    static func generator(seed: UInt64, _ purpose: Purpose, epoch: Int, position: Int = 0) -> RandomGenerator {
        var h = mix(seed ^ 0x243F_6A88_85A3_08D3)
        h = mix(h ^ purpose.rawValue)
        h = mix(h ^ UInt64(bitPattern: Int64(epoch)))
        h = mix(h ^ UInt64(bitPattern: Int64(position)))
        return RandomGenerator(seed: h)
    }

    /// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mix with good avalanche.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomGenerator {
    /// Uniform in `0..<bound`, without modulo bias (Lemire 2019, "Fast Random Integer Generation in
    /// an Interval"). Written out rather than using `Int.random(in:using:)` so the sequence cannot
    /// change with the standard library's implementation.
    mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "nextIndex(below:) needs a positive bound")
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        var i = count - 1
        while i > 0 {
            order.swapAt(i, nextIndex(below: i + 1))
            i -= 1
        }
        return order
    }
}
