import FoveaTensor

/// The methods by command-line name, with the settings the command line exposes.
public enum MethodCatalog {
    /// Settings shared by the methods that use them.
    public struct Settings: Sendable {
        /// The layer for CAM methods: a parameter-style name or `auto`.
        public var layer = "auto"
        /// Integrated Gradients: quadrature points, rule and constant baseline (model input space).
        public var steps = 50
        public var rule: IntegratedGradients.Rule = .gaussLegendre
        public var baseline: Float = 0
        /// SmoothGrad: noisy copies per image and noise level.
        public var samples = 25
        public var noiseLevel: Float = 0.15
        /// Occlusion: window side and stride in pixels.
        public var window = 4
        public var stride = 2
        /// The most images per forward/backward pass.
        public var batchSize = 64
        public init() {}
    }

    /// Every method name, in the order the comparison sheet shows them.
    public static let names = ["gradcam", "gradcam++", "hirescam", "scorecam", "saliency", "smoothgrad", "ig", "guided", "guided-gradcam", "occlusion"]

    /// The method called `name`, or an error listing the known names.
    public static func method(_ name: String, _ s: Settings = Settings()) throws -> AttributionMethod {
        switch name {
        case "gradcam": return ClassActivationMap(.gradCAM, layer: s.layer)
        case "gradcam++": return ClassActivationMap(.gradCAMPlusPlus, layer: s.layer)
        case "hirescam": return ClassActivationMap(.hiResCAM, layer: s.layer)
        case "scorecam": return ScoreCAM(layer: s.layer, batchSize: s.batchSize)
        case "saliency": return Saliency()
        case "smoothgrad": return SmoothGrad(samples: s.samples, noiseLevel: s.noiseLevel, batchSize: s.batchSize)
        case "ig": return IntegratedGradients(steps: s.steps, rule: s.rule, baseline: .constant(s.baseline), batchSize: s.batchSize)
        case "guided": return GuidedBackprop()
        case "guided-gradcam": return GuidedGradCAM(layer: s.layer)
        case "occlusion": return Occlusion(window: s.window, stride: s.stride, baseline: s.baseline, batchSize: max(s.batchSize, 128))
        default: throw ConfigurationError(owner: "explain", "unknown method '\(name)'; known: \(names.joined(separator: ", "))")
        }
    }
}
