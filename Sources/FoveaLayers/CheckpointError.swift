/// A weights or checkpoint file that cannot be used, naming the file and what is wrong.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file's path.
    public var file: String
    /// What is wrong with it, in one line.
    public var message: String
    /// An error about `file`.
    public init(file: String, _ message: String) { self.file = file; self.message = message }
    /// `"<file>: <message>"`.
    public var description: String { "\(file): \(message)" }
}
