import FoveaTensor

/// A labelled image set held in memory.
///
/// Pixels are stored as bytes (`UInt8`, 0…255), exactly as the dataset files hold them: a quarter
/// of the memory of `Float` (Fashion-MNIST's training split is 47 MB instead of 188 MB, CIFAR-10's
/// 154 MB instead of 614 MB). They become `Float` in [0, 1] (`byte / 255`) only when read out, by
/// `image(at:)` or by `DataLoader` while it assembles a batch.
public struct ImageDataset: Sendable, Equatable {
    /// All pixels, `(N, C, H, W)` row-major, one byte per value.
    public let pixels: [UInt8]
    /// The class index of each image, in `0..<classNames.count`; `(N)`.
    public let labels: [Int]
    /// A human-readable name for each class index.
    public let classNames: [String]
    /// Channels per image (1 for grayscale, 3 for RGB).
    public let channels: Int
    /// Image height in pixels.
    public let height: Int
    /// Image width in pixels.
    public let width: Int

    /// A dataset over existing bytes; throws when sizes or labels do not agree.
    public init(pixels: [UInt8], channels: Int, height: Int, width: Int, labels: [Int], classNames: [String]) throws {
        guard channels > 0, height > 0, width > 0 else {
            throw ConfigurationError(owner: "ImageDataset", "image size must be positive, got (C, H, W) = (\(channels), \(height), \(width))")
        }
        // Overflow-checked: the sizes may come from a file's header.
        let (imageSize, imageOverflow) = channels.multipliedReportingOverflow(by: height)
        let (planeSize, planeOverflow) = imageSize.multipliedReportingOverflow(by: width)
        let (needed, neededOverflow) = planeSize.multipliedReportingOverflow(by: labels.count)
        guard !imageOverflow, !planeOverflow, !neededOverflow, pixels.count == needed else {
            let need = imageOverflow || planeOverflow || neededOverflow ? "more than \(Int.max)" : "\(needed)"
            throw ConfigurationError(owner: "ImageDataset",
                "\(labels.count) labels need \(need) pixel bytes of (\(channels), \(height), \(width)), got \(pixels.count)")
        }
        if let bad = labels.firstIndex(where: { !classNames.indices.contains($0) }) {
            throw ConfigurationError(owner: "ImageDataset",
                "label \(labels[bad]) of image \(bad) is outside 0..<\(classNames.count) (the number of class names)")
        }
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Number of images.
    public var count: Int { labels.count }
    /// `[N, C, H, W]`.
    public var shape: [Int] { [count, channels, height, width] }
    /// Values per image, `C·H·W`.
    public var imageSize: Int { channels * height * width }

    /// The bytes of image `index`, `(C, H, W)`.
    public func imageBytes(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "image index \(index) out of range 0..<\(count)")
        return pixels[index * imageSize..<(index + 1) * imageSize]
    }

    /// Image `index` as a `(C, H, W)` tensor with values in [0, 1].
    public func image(at index: Int) -> Tensor {
        let bytes = imageBytes(at: index)
        return Tensor(shape: [channels, height, width], storage: bytes.map { Float($0) / 255 })
    }

    /// The images at `indices`, in that order, as a new dataset with the same class names.
    public func subset(_ indices: [Int]) -> ImageDataset {
        var selected: [UInt8] = []
        selected.reserveCapacity(indices.count * imageSize)
        for i in indices { selected.append(contentsOf: imageBytes(at: i)) }
        // Sizes and labels were validated when this dataset was made, so this cannot throw.
        return try! ImageDataset(pixels: selected, channels: channels, height: height, width: width,
                                 labels: indices.map { labels[$0] }, classNames: classNames)
    }

    /// How many images each class has, indexed by class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }
}

/// Which part of a dataset to load.
public enum DatasetSplit: String, Sendable, CaseIterable {
    /// The training split.
    case train
    /// The held-out test split.
    case test
}
