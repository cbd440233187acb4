import FoveaTensor

/// Random per-sample transforms, applied in torchvision's usual order: pad-and-crop, then
/// horizontal flip (on bytes), then scaling to [0, 1] and normalisation, then random erasing.
///
/// Each sample draws from its own generator (see `DataLoader`), always in this order: the crop's
/// row offset, its column offset, the flip, then random erasing's draws.
public struct Augmentation: Sendable, Equatable {
    /// Zero-pad each side by this many pixels, then crop back to the original H × W at a uniformly
    /// random offset (torchvision `RandomCrop(size, padding:)` with zero fill). 0: no crop.
    public var cropPadding: Int
    /// The probability of mirroring a sample left–right (torchvision `RandomHorizontalFlip(p)`). 0: never.
    public var horizontalFlipProbability: Float
    /// Random erasing, applied last, to the normalised image; nil: none.
    public var erasing: RandomErasing?

    /// Augmentation with the given parts; the defaults do nothing.
    public init(cropPadding: Int = 0, horizontalFlipProbability: Float = 0, erasing: RandomErasing? = nil) {
        self.cropPadding = cropPadding
        self.horizontalFlipProbability = horizontalFlipProbability
        self.erasing = erasing
    }

    /// No augmentation.
    public static let none = Augmentation()

    /// The common CIFAR recipe: 4-pixel pad-and-crop and flips with probability ½.
    public static let cropAndFlip = Augmentation(cropPadding: 4, horizontalFlipProbability: 0.5)

    /// Whether any part draws random numbers.
    public var isIdentity: Bool { cropPadding == 0 && horizontalFlipProbability == 0 && erasing == nil }

    func validate() throws {
        guard cropPadding >= 0 else { throw configurationError("cropPadding must be ≥ 0, got \(cropPadding)") }
        guard (0...1).contains(horizontalFlipProbability) else {
            throw configurationError("horizontalFlipProbability must be in [0, 1], got \(horizontalFlipProbability)")
        }
        try erasing?.validate()
    }
}
