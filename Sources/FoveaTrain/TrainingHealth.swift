import FoveaTensor

/// One layer's health at one step: the numbers that show vanishing or exploding gradients,
/// a too-large learning rate, or dead ReLUs.
public struct LayerHealth: Codable, Sendable, Equatable {
    /// Optimizer step at which this was measured.
    public var step: Int
    /// The layer's path (`features.0`, `layer1.0.conv1`).
    public var layer: String
    /// Depth index of the layer among parameterised layers (0 = closest to the input).
    public var depth: Int
    /// ‖∂L/∂W‖₂ over the layer's parameters.
    public var gradientNorm: Double
    /// ‖W‖₂ over the layer's parameters.
    public var weightNorm: Double
    /// ‖ΔW‖ / ‖W‖ of this step's update (≈1e-3 is healthy for SGD; ≫1e-2 means the rate is too high).
    public var updateRatio: Double
    /// Mean and standard deviation of the layer's output activations.
    public var activationMean: Double
    public var activationStd: Double
    /// For the ReLU-family activation right after this layer: the fraction of channels that output
    /// zero for every image and position of the batch (dead units); nil when no ReLU follows.
    public var deadFraction: Double?

    public init(step: Int, layer: String, depth: Int, gradientNorm: Double, weightNorm: Double, updateRatio: Double,
                activationMean: Double, activationStd: Double, deadFraction: Double?) {
        self.step = step; self.layer = layer; self.depth = depth; self.gradientNorm = gradientNorm
        self.weightNorm = weightNorm; self.updateRatio = updateRatio; self.activationMean = activationMean
        self.activationStd = activationStd; self.deadFraction = deadFraction
    }
}

/// Records `LayerHealth` every `interval` steps (a capture of every layer's output during that step's
/// forward pass, gradient and weight norms after backward, and the update size after the step).
public final class HealthMonitor {
    public let interval: Int
    /// Everything recorded so far.
    public private(set) var records: [LayerHealth] = []

    public init(interval: Int) { self.interval = max(1, interval) }

    /// Replaces the records with `records` (those of an earlier part of a resumed run).
    public func restore(_ records: [LayerHealth]) { self.records = records }

    /// Whether step `step` is recorded.
    public func isDue(_ step: Int) -> Bool { step % interval == 0 }

    /// Parameterised layers (those owning parameters directly), in model order, with the ReLU-like
    /// module that follows each in its parent's children, if any.
    static func layers(of model: Module) -> [(module: Module, parameters: [Variable], activation: String?)] {
        var result: [(Module, [Variable], String?)] = []
        for m in model.modules() {
            let own = m.namedParameters().filter { !$0.name.dropFirst(m.path.isEmpty ? 0 : m.path.count + 1).contains(".") }
            if !own.isEmpty { result.append((m, own.map(\.variable), nil)) }
        }
        // Pair each layer with the first activation that runs after it among its siblings.
        for parent in model.modules() {
            let kids = parent.children
            for (i, kid) in kids.enumerated() {
                guard let index = result.firstIndex(where: { $0.0 === kid.module }) else { continue }
                for later in kids[(i + 1)...] {
                    if !later.module.parameters.isEmpty { break }
                    if let a = later.module as? Activation, [.relu, .relu6].contains(a.kind) {
                        result[index].2 = later.module.path
                        break
                    }
                }
            }
        }
        return result
    }

    /// Measures one step. `capture` must have recorded every layer's output of this step's forward
    /// pass; `before` holds the parameter values before `optimizer.step()`.
    func record(step: Int, model: Module, capture: ActivationCapture, before: [ObjectIdentifier: Tensor]) {
        for (depth, layer) in HealthMonitor.layers(of: model).enumerated() {
            var g2 = 0.0, w2 = 0.0, d2 = 0.0
            for p in layer.parameters {
                let old = before[ObjectIdentifier(p)] ?? p.value
                for i in 0..<p.value.count {
                    let w = Double(old.storage[i]), d = Double(p.value.storage[i]) - w
                    w2 += w * w; d2 += d * d
                    if let g = p.grad { g2 += Double(g.storage[i]) * Double(g.storage[i]) }
                }
            }
            var mean = 0.0, std = 0.0
            if let out = capture[layer.module.path]?.value, out.count > 0 {
                mean = out.storage.reduce(0.0) { $0 + Double($1) } / Double(out.count)
                std = (out.storage.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(out.count)).squareRoot()
            }
            var dead: Double?
            if let name = layer.activation, let a = capture[name]?.value, a.rank >= 2 {
                dead = Self.deadChannelFraction(a)
            }
            records.append(LayerHealth(step: step, layer: layer.module.path, depth: depth, gradientNorm: g2.squareRoot(),
                                       weightNorm: w2.squareRoot(), updateRatio: w2 > 0 ? (d2 / w2).squareRoot() : 0,
                                       activationMean: mean, activationStd: std, deadFraction: dead))
        }
    }

    /// The fraction of channels (dimension 1) that are zero for every image and position.
    static func deadChannelFraction(_ a: Tensor) -> Double {
        let n = a.shape[0], c = a.shape[1], s = a.count / max(n * c, 1)
        var deadCount = 0
        for ch in 0..<c {
            var alive = false
            for img in 0..<n where !alive {
                let base = (img * c + ch) * s
                for k in 0..<s where a.storage[base + k] != 0 { alive = true; break }
            }
            if !alive { deadCount += 1 }
        }
        return Double(deadCount) / Double(max(c, 1))
    }
}
