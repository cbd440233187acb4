import Foundation

extension DecodingError {
    /// What a `JSONDecoder` failure means, in one short phrase with the key path where it happened
    /// (`key 'training.epochs' is missing`, `at model: expected String`), for error messages that
    /// name the file themselves. The default description is a multi-line dump of the context.
    public var summary: String {
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .keyNotFound(let key, let context): return "key '\(path(context.codingPath + [key]))' is missing"
        case .typeMismatch(let type, let context): return "at \(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context): return "at \(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "is not valid JSON" : "at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "cannot be decoded"
        }
    }
}
