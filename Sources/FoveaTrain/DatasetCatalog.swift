import FoveaData
import FoveaTensor

/// What a model trained on a known dataset expects of its input.
public struct DatasetInfo: Sendable {
    public let name: String
    public let channels: Int
    public let size: Int
    public let normalization: Normalization
    public let classNames: [String]
    /// How the dataset's images look, for notes on converted inputs.
    public let appearance: String

    /// The datasets `fovea train` reads.
    public static let known: [DatasetInfo] = [
        DatasetInfo(name: "fashion-mnist", channels: 1, size: 28, normalization: .fashionMNIST,
                    classNames: ImageDataset.fashionMNISTClassNames, appearance: "light garments centred on a black background"),
        DatasetInfo(name: "mnist", channels: 1, size: 28, normalization: .mnist,
                    classNames: ImageDataset.mnistClassNames, appearance: "white digits centred on a black background"),
    ]

    /// The entry for `name`, or a `ConfigurationError` listing the known ones.
    public static func named(_ name: String) throws -> DatasetInfo {
        guard let info = known.first(where: { $0.name == name }) else {
            throw ConfigurationError(owner: "datasets", "unknown dataset '\(name)'; known: \(known.map(\.name).joined(separator: ", "))")
        }
        return info
    }
}
