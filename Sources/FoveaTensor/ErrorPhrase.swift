import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Short, one-line phrases for Foundation's errors, to put after a file name in Fovea's own error
/// messages ("config.json: file not found") instead of Foundation's multi-part descriptions
/// (`Error Domain=NSCocoaErrorDomain Code=260 "…" UserInfo={…}`), which name neither what was
/// expected nor what was found in words a user can act on.
public enum ErrorPhrase {
    /// Why reading a file failed, from the error `Data(contentsOf:)`, `String(contentsOf:)` or
    /// `FileHandle` threw: "file not found", "permission denied", "is a directory", … Errors that
    /// are not about reading a file get their first line.
    public static func fileRead(_ error: Error) -> String {
        if let posix = error as? POSIXError { return posixPhrase(posix.code.rawValue) }
        if let cocoa = error as? CocoaError {
            switch cocoa.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "file not found"
            case .fileReadNoPermission: return "permission denied"
            case .fileReadTooLarge: return "file is too large to read"
            case .fileReadInvalidFileName: return "invalid file name"
            case .fileReadCorruptFile: return "file is corrupt"
            default: break
            }
            // The underlying POSIX error says more than "unknown error" (e.g. "is a directory").
            if let underlying = cocoa.underlying as? POSIXError { return posixPhrase(underlying.code.rawValue) }
            let ns = cocoa as NSError
            if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                return posixPhrase(Int32(truncatingIfNeeded: underlying.code))
            }
            return "cannot be read (Foundation error \(ns.code))"
        }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return posixPhrase(Int32(truncatingIfNeeded: ns.code)) }
        return firstLine("\(error)")
    }

    /// Where and why decoding failed, from a `DecodingError` (JSONDecoder's):
    /// "key 'model' missing", "at training.epochs: expected Int, found a string",
    /// "at layers[2]: expected String, found null", "not valid JSON". Other errors get their first line.
    public static func decoding(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return firstLine("\(error)") }
        switch error {
        case let .keyNotFound(key, context):
            return located(context.codingPath, "key '\(key.stringValue)' missing")
        case let .typeMismatch(type, context):
            return located(context.codingPath, "expected \(typeName(type)), found \(found(in: context.debugDescription) ?? "another type")")
        case let .valueNotFound(type, context):
            return located(context.codingPath, "expected \(typeName(type)), found null")
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return located(context.codingPath, firstLine(context.debugDescription))
        @unknown default:
            return firstLine("\(error)")
        }
    }

    /// A coding path as written in JSON terms: `training.epochs`, `history[3].loss`.
    public static func path(_ codingPath: [CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : "." + key.stringValue }
        }
        return text
    }

    private static func located(_ codingPath: [CodingKey], _ phrase: String) -> String {
        codingPath.isEmpty ? phrase : "at \(path(codingPath)): \(phrase)"
    }

    /// "Int" for `Int.self`; "object" / "array" for the dictionary and array types decoders report.
    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary<") { return "an object" }
        if name.hasPrefix("Array<") { return "an array" }
        return name
    }

    /// "a string" from JSONDecoder's "Expected to decode Int but found a string instead."
    private static func found(in description: String) -> String? {
        guard let start = description.range(of: "but found ")?.upperBound else { return nil }
        let rest = description[start...]
        let end = rest.range(of: " instead")?.lowerBound ?? rest.endIndex
        let phrase = rest[..<end].trimmingCharacters(in: .whitespaces)
        return phrase.isEmpty ? nil : phrase
    }

    /// "permission denied" for EACCES: the C library's text, lower-cased, with the common cases
    /// spelled the way Fovea's messages put them.
    private static func posixPhrase(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "file not found"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a directory, not a file"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }
}
