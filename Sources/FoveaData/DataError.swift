/// A dataset file that is missing, truncated or malformed, named by the file.
///
/// The message says what was expected and what was found, e.g.
/// `train-images-idx3-ubyte.gz: expected 47040000 bytes of pixels, file ends after 1200`,
/// and, for a missing file, what to do about it.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file's name (or its full path, when the file could not be found or opened).
    public var file: String
    /// What is wrong with it.
    public var message: String

    /// An error about `file`.
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    /// `"<file>: <message>"`.
    public var description: String { "\(file): \(message)" }
}
