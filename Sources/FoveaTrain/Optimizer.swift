@_exported import FoveaLayers
import FoveaTensor

/// Updates parameters from their gradients. Semantics equal PyTorch's `torch.optim` classes:
/// the same gradients give the same update.
///
/// The loop stays visible: `let loss = …; model.zeroGrad(); loss.backward(); optimizer.step()`.
public protocol Optimizer: AnyObject {
    /// The learning rate used by the next `step()` (schedules set it).
    var learningRate: Float { get set }
    /// Sets the momentum the next `step()` uses, for schedules that cycle it (one-cycle): SGD's μ,
    /// Adam's β₁. An SGD built without momentum stays plain SGD.
    func setMomentum(_ momentum: Float)
    /// Applies one update to every parameter that has a gradient.
    func step()
    /// Per-parameter state by name (`"<param>.momentum_buffer"`, `"<param>.exp_avg"`, …) and the step
    /// count, ordered by name, for checkpoints. Buffers are saved flat, `(count)`.
    var state: StateDict { get }
    /// Restores state saved from `state` (buffers flat or in their parameter's shape); throws
    /// `ConfigurationError` naming the first tensor that does not fit, changing nothing then.
    func loadState(_ state: StateDict) throws
}

/// Shared storage of named parameters and their state tensors.
///
/// Each kind of state (`bufferKinds`, e.g. `exp_avg`) holds one tensor per parameter, in the
/// parameter's shape, created at its first update and then updated in place: `takeBuffer` moves it
/// out and `putBuffer` back, so its storage stays uniquely referenced and a step copies nothing.
public class ParameterGroup {
    /// Parameters by their dotted names, in model order.
    public let parameters: [NamedParameter]
    /// The state tensors' name suffixes, PyTorch's (`momentum_buffer`, `exp_avg`, `exp_avg_sq`).
    let bufferKinds: [String]
    /// `buffers[kind][parameter]`, nil before the parameter's first update.
    private var buffers: [[Tensor?]]
    var stepCount = 0

    init(_ parameters: [NamedParameter], bufferKinds: [String]) {
        self.parameters = parameters
        self.bufferKinds = bufferKinds
        buffers = Array(repeating: Array(repeating: nil, count: parameters.count), count: bufferKinds.count)
    }

    /// Moves out state `kind` of parameter `index` (zeros in the parameter's shape, and `isNew`, the first time).
    func takeBuffer(_ kind: Int, _ index: Int) -> (tensor: Tensor, isNew: Bool) {
        guard let tensor = buffers[kind][index] else {
            return (Tensor(shape: parameters[index].variable.value.shape), true)
        }
        buffers[kind][index] = nil
        return (tensor, false)
    }

    /// Puts back a buffer taken with `takeBuffer`.
    func putBuffer(_ tensor: Tensor, _ kind: Int, _ index: Int) { buffers[kind][index] = tensor }

    public var state: StateDict {
        var entries: [StateDict.Element] = [("step", Tensor(Float(stepCount)))]
        for (k, kind) in bufferKinds.enumerated() {
            for (i, p) in parameters.enumerated() {
                guard let t = buffers[k][i] else { continue }
                // Flat, as checkpoints have always stored them.
                entries.append((p.name + "." + kind, Tensor(shape: [t.count], storage: t.storage)))
            }
        }
        return StateDict(entries.sorted { $0.name < $1.name })
    }

    public func loadState(_ state: StateDict) throws {
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(owner: "optimizer", message) }
        guard let step = state["step"] else { throw fail("saved state has no step count") }
        guard step.count == 1, let steps = Int(exactly: step.storage[0]), steps >= 0 else {
            throw fail("saved step count must be one whole number ≥ 0, got \(step.storage.prefix(2)) of shape \(step.shape)")
        }
        let index = Dictionary(parameters.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        var loaded = Array(repeating: Array(repeating: Tensor?.none, count: parameters.count), count: bufferKinds.count)
        for (key, tensor) in state where key != "step" {
            let dot = key.lastIndex(of: ".") ?? key.endIndex
            let owner = String(key[..<dot]), kind = dot == key.endIndex ? "" : String(key[key.index(after: dot)...])
            guard let i = index[owner] else { throw fail("saved state for unknown parameter \(messageSafe(key))") }
            guard let k = bufferKinds.firstIndex(of: kind) else {
                throw fail("saved state \(messageSafe(key)) is not one of this optimizer's buffers (\(bufferKinds.joined(separator: ", ")))")
            }
            let shape = parameters[i].variable.value.shape, flat = [parameters[i].variable.value.count]
            guard tensor.shape == shape || tensor.shape == flat else {
                let expected = shape == flat ? "\(shape)" : "\(shape) or \(flat)"
                throw fail("saved state \(messageSafe(key)) has shape \(tensor.shape), expected \(expected)")
            }
            loaded[k][i] = Tensor(shape: shape, storage: tensor.storage)
        }
        stepCount = steps
        buffers = loaded
    }
}
