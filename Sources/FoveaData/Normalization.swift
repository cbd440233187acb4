import FoveaTensor

/// Per-channel normalisation, `(x − mean[c]) / std[c]`, applied to pixels already scaled to [0, 1]
/// (torchvision's `Normalize` after `ToTensor`).
public struct Normalization: Sendable, Equatable {
    /// The mean of each channel, in [0, 1] units.
    public let mean: [Float]
    /// The standard deviation of each channel; all positive.
    public let std: [Float]

    /// Normalisation with the given statistics; throws unless the two have equal, non-zero length
    /// and every `std` is positive.
    public init(mean: [Float], std: [Float]) throws {
        guard !mean.isEmpty, mean.count == std.count else {
            throw ConfigurationError(owner: "Normalization", "mean and std need one value per channel, got \(mean.count) and \(std.count)")
        }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw ConfigurationError(owner: "Normalization", "std must be positive and values finite, got mean \(mean), std \(std)")
        }
        self.mean = mean
        self.std = std
    }

    private init(unchecked mean: [Float], _ std: [Float]) { self.mean = mean; self.std = std }

    /// Fashion-MNIST's training-split statistics (computed from the bundled files: 0.28604, 0.35302).
    public static let fashionMNIST = Normalization(unchecked: [0.2860], [0.3530])
    /// MNIST's training-split statistics, as commonly used (PyTorch's MNIST example).
    public static let mnist = Normalization(unchecked: [0.1307], [0.3081])
    /// CIFAR-10's training-split per-channel statistics (RGB).
    public static let cifar10 = Normalization(unchecked: [0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616])
    /// CIFAR-100's training-split per-channel statistics (RGB).
    public static let cifar100 = Normalization(unchecked: [0.5071, 0.4865, 0.4409], [0.2673, 0.2564, 0.2762])

    /// The per-channel mean and (population) standard deviation of `dataset`'s pixels in [0, 1].
    public static func computed(from dataset: ImageDataset) throws -> Normalization {
        let plane = dataset.height * dataset.width
        var sums = [Double](repeating: 0, count: dataset.channels)
        var squares = sums
        dataset.pixels.withUnsafeBufferPointer { p in
            for n in 0..<dataset.count {
                for c in 0..<dataset.channels {
                    // Integer sums per plane are exact; only the totals need floating point.
                    var s = 0, q = 0
                    let base = (n * dataset.channels + c) * plane
                    for i in base..<base + plane { let v = Int(p[i]); s += v; q += v * v }
                    sums[c] += Double(s); squares[c] += Double(q)
                }
            }
        }
        let total = Double(max(1, dataset.count * plane))
        let mean = sums.map { $0 / total / 255 }
        let std = zip(squares, mean).map { (q, m) in (max(0, q / total / 65025 - m * m)).squareRoot() }
        return try Normalization(mean: mean.map(Float.init), std: std.map { Float(max($0, 1e-12)) })
    }
}
