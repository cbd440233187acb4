/// Which layer a CAM method explains through.
public enum LayerChoice: Sendable, Hashable, CustomStringConvertible {
    /// The last layer whose output is a spatial map `(N, C, h, w)` with `h·w > 1`.
    case automatic
    /// A layer by its parameter-style name (`layer4`, `features.3`).
    case named(String)

    /// `auto` (the command line's spelling of `automatic`) or a layer name.
    public init(parsing text: String) {
        self = text == "auto" ? .automatic : .named(text)
    }

    /// `auto` or the layer's name.
    public var description: String {
        switch self {
        case .automatic: "auto"
        case .named(let name): name
        }
    }
}
