import ArgumentParser
import Foundation
import Fovea

/// A failure reported to the user as one line (`Error: …`), exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// One line for any error: Fovea's own errors already say file, what was expected and what was
/// found; Foundation's are reduced to their reason (never a dump of domains, codes and user-info).
func oneLine(_ error: Error) -> String {
    let text: String
    switch error {
    case let error as DecodingError:
        text = ErrorPhrase.decoding(error)
    case let error as CustomStringConvertible where !(error is NSError):
        text = error.description
    default:
        text = ErrorPhrase.fileRead(error)
    }
    return text.split(whereSeparator: \.isNewline).joined(separator: " ")
}

/// Writes `line` to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
