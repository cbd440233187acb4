/// A shape mismatch or invalid hyperparameter, named by the layer (or op) that found it.
///
/// The message says what was expected and what arrived, e.g.
/// `conv1: expected input (N, 3, H, W), got [8, 1, 28, 28]`.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    /// The layer's parameter-style name (`layer1.0.conv1`) or the op's name.
    public var layer: String
    /// What the layer needs, in words.
    public var expected: String
    /// The shape (or values) it received.
    public var actual: [Int]

    public init(layer: String, expected: String, actual: [Int]) {
        self.layer = layer; self.expected = expected; self.actual = actual
    }

    public var description: String { "\(layer): expected \(expected), got \(actual)" }
}

/// An invalid hyperparameter or argument (a negative learning rate, a zero stride…), named by its owner.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var owner: String
    public var message: String
    public init(owner: String, _ message: String) { self.owner = owner; self.message = message }
    public var description: String { "\(owner): \(message)" }
}
