import FoveaTensor

/// Every attribution method Fovea has, by its command-line name: the one list that the catalog,
/// figure legends and `fovea explain --method` are built from.
public enum AttributionKind: String, Sendable, CaseIterable {
    case gradCAM = "gradcam"
    case gradCAMPlusPlus = "gradcam++"
    case hiResCAM = "hirescam"
    case scoreCAM = "scorecam"
    case saliency
    case smoothGrad = "smoothgrad"
    case integratedGradients = "ig"
    case guidedBackprop = "guided"
    case guidedGradCAM = "guided-gradcam"
    case occlusion
    /// Uniform noise: the control that faithfulness scores are compared with (not in the catalog).
    case random

    /// The methods a user can ask for, in the order the comparison sheet shows them.
    public static let catalog: [AttributionKind] = allCases.filter { $0 != .random }

    /// The method's name as printed (`Grad-CAM`, `Integrated Gradients`, …).
    public var title: String {
        switch self {
        case .gradCAM: "Grad-CAM"
        case .gradCAMPlusPlus: "Grad-CAM++"
        case .hiResCAM: "HiResCAM"
        case .scoreCAM: "Score-CAM"
        case .saliency: "Saliency"
        case .smoothGrad: "SmoothGrad"
        case .integratedGradients: "Integrated Gradients"
        case .guidedBackprop: "Guided Backprop"
        case .guidedGradCAM: "Guided Grad-CAM"
        case .occlusion: "Occlusion"
        case .random: "Random (control)"
        }
    }

    /// What a heatmap's colour scale means for this method, for figure legends.
    public var legend: String {
        switch self {
        case .gradCAM, .gradCAMPlusPlus, .hiResCAM, .scoreCAM: "CAM (min–max)"
        case .occlusion: "score drop"
        default: "|attribution|"
        }
    }

    /// Settings shared by the methods that use them (the command line's options).
    public struct Settings: Sendable {
        /// The layer for CAM methods.
        public var layer: LayerChoice = .automatic
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

    /// The method of this kind with `settings`.
    public func method(_ s: Settings = Settings()) -> AttributionMethod {
        switch self {
        case .gradCAM: ClassActivationMap(.gradCAM, layer: s.layer)
        case .gradCAMPlusPlus: ClassActivationMap(.gradCAMPlusPlus, layer: s.layer)
        case .hiResCAM: ClassActivationMap(.hiResCAM, layer: s.layer)
        case .scoreCAM: ScoreCAM(layer: s.layer, batchSize: s.batchSize)
        case .saliency: Saliency()
        case .smoothGrad: SmoothGrad(samples: s.samples, noiseLevel: s.noiseLevel, batchSize: s.batchSize)
        case .integratedGradients: IntegratedGradients(steps: s.steps, rule: s.rule, baseline: .constant(s.baseline), batchSize: s.batchSize)
        case .guidedBackprop: GuidedBackprop()
        case .guidedGradCAM: GuidedGradCAM(layer: s.layer)
        case .occlusion: Occlusion(window: s.window, stride: s.stride, baseline: s.baseline, batchSize: max(s.batchSize, 128))
        case .random: RandomAttribution()
        }
    }

    /// The catalog method called `name`, or an error listing the known names.
    public init(named name: String) throws {
        guard let kind = AttributionKind(rawValue: name), kind != .random else {
            throw ConfigurationError(owner: "explain", "unknown method '\(name)'; known: \(Self.catalog.map(\.rawValue).joined(separator: ", "))")
        }
        self = kind
    }
}
