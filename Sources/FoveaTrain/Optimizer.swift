@_exported import FoveaLayers
import FoveaTensor

/// Updates parameters from their gradients. Semantics equal PyTorch's `torch.optim` classes:
/// the same gradients give the same update.
///
/// The loop stays visible: `let loss = …; model.zeroGrad(); loss.backward(); optimizer.step()`.
public protocol Optimizer: AnyObject {
    /// The learning rate used by the next `step()` (schedules set it).
    var learningRate: Float { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// Per-parameter state by name (`"<param>.momentum_buffer"`, `"<param>.exp_avg"`, …) and the step
    /// count, for checkpoints.
    var state: [String: Tensor] { get }
    /// Restores state saved from `state`.
    func loadState(_ state: [String: Tensor]) throws
}

/// Shared storage of named parameters and their state tensors.
public class ParameterGroup {
    /// Parameters by their dotted names, in model order.
    public let parameters: [(name: String, variable: Variable)]
    var buffers: [String: Tensor] = [:]
    var stepCount = 0

    init(_ parameters: [(name: String, variable: Variable)]) { self.parameters = parameters }

    public var state: [String: Tensor] {
        var s = buffers
        s["step"] = Tensor(Float(stepCount))
        return s
    }

    public func loadState(_ state: [String: Tensor]) throws {
        guard let step = state["step"] else { throw ConfigurationError(owner: "optimizer", "saved state has no step count") }
        let known = Set(parameters.map(\.name))
        for key in state.keys where key != "step" {
            let owner = String(key[..<(key.lastIndex(of: ".") ?? key.endIndex)])
            guard known.contains(owner) else { throw ConfigurationError(owner: "optimizer", "saved state for unknown parameter \(key)") }
        }
        stepCount = Int(step.storage[0])
        buffers = state.filter { $0.key != "step" }
    }
}

/// Calls `update(p, g, i)` with raw pointers for every element of every parameter that has a gradient.
@inline(__always)
func forEachElement(_ parameters: [(name: String, variable: Variable)],
                    _ body: (_ name: String, _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ count: Int) -> Void) {
    for (name, v) in parameters {
        guard let grad = v.grad else { continue }
        grad.withUnsafePointer { g in v.value.withUnsafeMutablePointer { p in body(name, p, g, grad.count) } }
    }
}
