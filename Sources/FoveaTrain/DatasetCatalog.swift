import Foundation
import FoveaData
import FoveaTensor

/// What a model trained on a known dataset expects of its input, and how to read the dataset.
public struct DatasetInfo: Sendable {
    public let name: String
    public let channels: Int
    public let size: Int
    public let normalization: Normalization
    public let classNames: [String]
    /// How the dataset's images look, for notes on converted inputs.
    public let appearance: String
    /// Reads one split from a folder holding the dataset's files.
    let reader: @Sendable (URL, DatasetSplit) throws -> ImageDataset

    /// Fashion-MNIST (Xiao et al. 2017), bundled with Fovea in `data/fashion-mnist`.
    public static let fashionMNIST = DatasetInfo(
        name: "fashion-mnist", channels: 1, size: 28, normalization: .fashionMNIST, classNames: ImageDataset.fashionMNISTClassNames,
        appearance: "light garments centred on a black background", reader: { try .fashionMNIST(directory: $0, split: $1) })
    /// MNIST (LeCun et al. 1998), read from a folder the user downloaded it to.
    public static let mnist = DatasetInfo(
        name: "mnist", channels: 1, size: 28, normalization: .mnist, classNames: ImageDataset.mnistClassNames,
        appearance: "white digits centred on a black background", reader: { try .mnist(directory: $0, split: $1) })

    /// The datasets `fovea train` reads.
    public static let known: [DatasetInfo] = [fashionMNIST, mnist]

    /// The entry for `name`, or a `ConfigurationError` listing the known ones.
    public static func named(_ name: String) throws -> DatasetInfo {
        guard let info = known.first(where: { $0.name == name }) else {
            throw ConfigurationError(owner: "datasets", "unknown dataset '\(name)'; known: \(known.map(\.name).joined(separator: ", "))")
        }
        return info
    }

    /// Reads `split` from `directory` (a folder holding the dataset's files).
    public func load(_ split: DatasetSplit, from directory: URL) throws -> ImageDataset {
        try reader(directory, split)
    }
}
