/// Captures the output (activation) of named layers during a forward pass; after `backward()` each
/// captured variable also holds its gradient. Grad-CAM, saliency and gradient diagnostics use it.
///
/// ```swift
/// let capture = ActivationCapture(["layer4"])
/// let logits = try capture.during { try model(x) }
/// logits.backward(seed: oneHot)
/// guard let layer4 = capture["layer4"], let gradient = layer4.grad else { return }  // layer4 did not run
/// let (a, g) = (layer4.value, gradient)
/// ```
/// Capturing is scoped to `during`: no hooks or state remain on the model afterwards.
// @unchecked: a capture is used by the one task that runs the forward pass it scopes.
public final class ActivationCapture: @unchecked Sendable {
    /// The layer names (parameter-style paths such as `layer4.1.conv2`) to capture; nil captures every layer.
    public let names: Set<String>?
    /// The captured outputs by layer name, in the order the layers ran.
    public private(set) var outputs: [(name: String, variable: Variable)] = []
    /// The input each captured call received, index for index with `outputs` (nil when the caller
    /// did not say). Comparing inputs with earlier outputs by identity recovers how layers connect
    /// (`ModelSummary` uses it for receptive fields and activation lifetimes).
    public private(set) var inputs: [Variable?] = []

    public init(_ names: Set<String>? = nil) { self.names = names }

    /// The captured output of `name`, if that layer ran (the last call wins when it ran several times).
    public subscript(name: String) -> Variable? { outputs.last { $0.name == name }?.variable }

    /// Runs `body` with this capture active.
    public func during<R>(_ body: () throws -> R) rethrows -> R {
        try ActivationCapture.$current.withValue(self) { try body() }
    }

    @TaskLocal static var current: ActivationCapture?

    /// Called by layers with their path, output and (optionally) input; records them when a capture wants them.
    public static func record(_ name: String, _ output: Variable, input: Variable? = nil) {
        guard let capture = current, !name.isEmpty else { return }
        if capture.names?.contains(name) ?? true {
            capture.outputs.append((name, output))
            capture.inputs.append(input)
        }
    }

    /// True when a capture is active (layers skip bookkeeping otherwise).
    public static var isActive: Bool { current != nil }
}
