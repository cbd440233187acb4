import FoveaLayers
import FoveaTensor

/// A model opened for explanation: runs the forward and backward passes every attribution method
/// is built from, checks class indices and layer names, and leaves nothing behind on the model
/// (captures are scoped, parameters get no gradients, the mode is restored).
public final class Explainer {
    /// The model; it runs in evaluation mode while explained.
    public let model: Module

    /// Wraps `model` (switched to evaluation mode for each pass, then restored).
    public init(_ model: Module) { self.model = model }

    /// What one forward + backward pass returns.
    public struct GradientPass {
        /// The model's output, `(N, classes)`.
        public var logits: Tensor
        /// ∂score/∂input, `(N, C, H, W)`: each image's gradient of its own target's logit.
        public var inputGradient: Tensor
        /// The captured layer's name (resolved when `.automatic` was asked for).
        public var layer: String?
        /// The captured layer's output `(N, K, h, w)`, when a layer was asked for.
        public var activation: Tensor?
        /// ∂score/∂activation, same shape as `activation`.
        public var activationGradient: Tensor?
    }

    /// One forward and one backward pass over a batch `(N, C, H, W)`, seeded with a one-hot row per
    /// image at `targets[i]` (nil: the predicted class), so each image gets the gradient of its own
    /// target logit. `layer` (named, or automatic: the last spatial layer, found in the same pass)
    /// is captured with its gradient. `guided` records ReLUs with guided backward rules
    /// (Springenberg et al. 2015).
    public func gradients(_ input: Tensor, targets: [Int]?, layer: LayerChoice? = nil, guided: Bool = false) throws -> (GradientPass, targets: [Int]) {
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        let x = Variable(input, requiresGrad: true)
        // Gradients flow to the input only: no parameter gradients are computed.
        return try GradMode.withGradients(onlyFor: [x]) { try gradientPass(x, targets: targets, layer: layer, guided: guided) }
    }

    private func gradientPass(_ x: Variable, targets: [Int]?, layer: LayerChoice?, guided: Bool) throws -> (GradientPass, targets: [Int]) {
        let input = x.value
        let names: Set<String>? = layer.map { Self.captured($0) } ?? []  // no layer: capture nothing
        let capture = ActivationCapture(names)
        func forward() throws -> Variable { try capture.during { try model(x) } }
        let output = try guided ? GuidedBackpropagation.during(forward) : forward()
        let chosen = try resolveTargets(targets, logits: output.value)
        let captured = try layer.map { try capturedLayer($0, in: capture) }
        output.backward(seed: .oneHot(chosen, classes: output.shape[1]))
        let pass = GradientPass(logits: output.value, inputGradient: x.grad ?? Tensor(shape: input.shape),
                                layer: captured?.name, activation: captured?.variable.value,
                                activationGradient: captured.map { $0.variable.grad ?? Tensor(shape: $0.variable.shape) })
        return (pass, chosen)
    }

    /// Logits `(N, classes)` and the output `(N, K, h, w)` of `layer` (named, or automatic: the last
    /// spatial layer) in one forward pass without gradients, with the layer's resolved name.
    public func forwardCapturing(_ input: Tensor, layer: LayerChoice) throws -> (logits: Tensor, layer: String, activation: Tensor) {
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        let capture = ActivationCapture(Self.captured(layer))
        let output = try GradMode.withoutGradients { try capture.during { try model(Variable(input)) } }
        let captured = try capturedLayer(layer, in: capture)
        return (output.value, captured.name, captured.variable.value)
    }

    /// Logits `(N, classes)` without recording gradients, in batches of at most `batchSize`.
    public func logits(_ input: Tensor, batchSize: Int = 64) throws -> Tensor {
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        return try GradMode.withoutGradients {
            try mapBatches(input, batchSize: batchSize) { try model(Variable($0)).value }
        }
    }

    /// Softmax probabilities `(N, classes)`.
    public func probabilities(_ input: Tensor, batchSize: Int = 64) throws -> Tensor {
        try logits(input, batchSize: batchSize).softmaxRows()
    }

    /// Class indices checked against the model's output; nil picks each image's top class.
    func resolveTargets(_ targets: [Int]?, logits: Tensor) throws -> [Int] {
        let (N, K) = (logits.shape[0], logits.shape[1])
        guard let targets else { return logits.argmaxRows() }
        let expanded = targets.count == 1 ? Array(repeating: targets[0], count: N) : targets
        guard expanded.count == N else {
            throw ConfigurationError(owner: "explain", "\(targets.count) target classes for \(N) images; give one per image or one for all")
        }
        if let bad = expanded.first(where: { !(0..<K).contains($0) }) {
            throw ConfigurationError(owner: "explain", "class \(bad) is out of range: the model has \(K) classes (0…\(K - 1))")
        }
        return expanded
    }

    // MARK: Layers

    /// Every named layer with its output shape for `input` (a forward pass capturing all layers),
    /// in the order the layers finished.
    public func layerShapes(for input: Tensor) throws -> [(name: String, shape: [Int])] {
        let capture = ActivationCapture()
        _ = try GradMode.withoutGradients { try capture.during { try model(Variable(input)) } }
        var seen = Set<String>()
        return capture.outputs.compactMap { seen.insert($0.name).inserted ? ($0.name, $0.variable.shape) : nil }
    }

    /// The layer's name: a named layer's own, or for `.automatic` the last layer whose output is a
    /// spatial map `(N, C, h, w)` with `h·w > 1` (the innermost of layers sharing that output). One
    /// forward pass on the first image; `gradients` resolves it within its own pass instead.
    public func resolveLayer(_ layer: LayerChoice, for input: Tensor) throws -> String {
        guard case .automatic = layer else { return layer.description }
        let capture = ActivationCapture()
        let probe = input.slice(0..<1)
        _ = try GradMode.withoutGradients { try capture.during { try model(Variable(probe)) } }
        return try lastSpatial(capture.outputs).name
    }

    /// The layers a capture for `layer` records: just that one, or every layer (nil) to find the last spatial one.
    private static func captured(_ layer: LayerChoice) -> Set<String>? {
        guard case .named(let name) = layer else { return nil }
        return [name]
    }

    /// The captured output of `layer`, which must be a spatial map; automatic: the last spatial one.
    private func capturedLayer(_ choice: LayerChoice, in capture: ActivationCapture) throws -> (name: String, variable: Variable) {
        guard case .named(let layer) = choice else { return try lastSpatial(capture.outputs) }
        guard let a = capture[layer] else { throw unknownLayer(layer) }
        guard a.shape.count == 4 else { throw nonSpatial(layer, shape: a.shape) }
        return (layer, a)
    }

    private func lastSpatial(_ outputs: [(name: String, variable: Variable)]) throws -> (name: String, variable: Variable) {
        guard let last = outputs.last(where: { $0.variable.shape.count == 4 && $0.variable.shape[2] * $0.variable.shape[3] > 1 }) else {
            throw ConfigurationError(owner: "explain", "the model has no layer with a spatial output to explain")
        }
        return outputs.first { $0.variable === last.variable }!
    }

    private func unknownLayer(_ name: String) -> ConfigurationError {
        let names = model.modules().map(\.path).filter { !$0.isEmpty }
        return ConfigurationError(owner: "explain", "unknown layer '\(name)'; valid layers: \(names.joined(separator: ", "))")
    }

    private func nonSpatial(_ name: String, shape: [Int]) -> ConfigurationError {
        ConfigurationError(owner: "explain", "layer '\(name)' outputs \(shape), not a spatial map (N, C, H, W); CAM methods need a convolutional layer such as \(spatialNames().suffix(4).joined(separator: ", ")) (or --layer auto)")
    }

    private func spatialNames() -> [String] {
        model.modules().filter { $0 is Conv2d }.map(\.path)
    }
}

// MARK: - Small tensor helpers shared by the methods

/// Runs `body` over chunks of at most `batchSize` images and stacks the results.
func mapBatches(_ input: Tensor, batchSize: Int, _ body: (Tensor) throws -> Tensor) throws -> Tensor {
    let N = input.shape[0]
    if N <= batchSize { return try body(input) }
    return Tensor(concatenating: try stride(from: 0, to: N, by: batchSize).map { try body(input.slice($0..<min($0 + batchSize, N))) })
}

import Foundation
