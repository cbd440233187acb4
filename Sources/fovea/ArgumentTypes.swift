import ArgumentParser
import Fovea
import FoveaImage
import FoveaInterpret

// The library's choice types as command-line arguments: each parses its own spelling and lists
// the valid values in help and errors.

extension LayerChoice: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
}

extension AttributionKind: ExpressibleByArgument {
    public init?(argument: String) {
        guard let kind = AttributionKind(rawValue: argument), kind != .random else { return nil }
        self = kind
    }
    public static var allValueStrings: [String] { catalog.map(\.rawValue) }
}

extension Colormap.Name: ExpressibleByArgument {}

/// `--method`: attribution methods, comma-separated, or `all` for the whole catalog.
struct AttributionKinds: ExpressibleByArgument {
    var kinds: [AttributionKind]

    init(_ kinds: [AttributionKind]) { self.kinds = kinds }

    init?(argument: String) {
        if argument == "all" { kinds = AttributionKind.catalog; return }
        let parsed = argument.split(separator: ",").map { AttributionKind(argument: $0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
        kinds = parsed.compactMap { $0 }
    }

    var defaultValueDescription: String { kinds.map(\.rawValue).joined(separator: ",") }
    static var allValueStrings: [String] { AttributionKind.allValueStrings + ["all"] }
}

extension OptimizerKind: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}
extension AugmentationPreset: ExpressibleByArgument {}

extension DatasetInfo: ExpressibleByArgument {
    public init?(argument: String) {
        guard let info = DatasetInfo.known.first(where: { $0.name == argument }) else { return nil }
        self = info
    }
    public static var allValueStrings: [String] { known.map(\.name) }
    public var defaultValueDescription: String { name }
}
