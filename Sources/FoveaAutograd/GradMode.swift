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
}
