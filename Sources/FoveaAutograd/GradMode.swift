/// Whether ops record the graph. Inference (`withoutGradients`) records nothing, so every
/// intermediate activation is freed as soon as the next op has consumed it.
public enum GradMode {
    @TaskLocal static var enabled: Bool = true

    /// True unless inside `withoutGradients`.
    public static var isEnabled: Bool { enabled }

    /// Runs `body` with recording off (PyTorch's `torch.no_grad()`).
    public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
        try $enabled.withValue(false) { try body() }
    }

    /// The only leaves that require gradients inside `withGradients(onlyFor:)`; nil outside it.
    @TaskLocal static var gradientLeaves: Set<ObjectIdentifier>? = nil

    /// Runs `body` (forward and backward) with gradients flowing only to `leaves`, typically an
    /// input image: every other leaf — the model's parameters — counts as a constant, so backward
    /// skips the weight gradients (a third of a convolution's backward) and leaves parameters'
    /// `grad` untouched. What attribution methods want (Captum computes input gradients the same way).
    public static func withGradients<R>(onlyFor leaves: [Variable], _ body: () throws -> R) rethrows -> R {
        try $gradientLeaves.withValue(Set(leaves.map(ObjectIdentifier.init))) { try body() }
    }
}
