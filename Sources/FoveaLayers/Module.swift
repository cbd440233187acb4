@_exported import FoveaAutograd
import FoveaTensor

/// A non-trainable tensor that belongs to a module's state (batch norm's running statistics).
public final class Buffer {
    /// The current value.
    public var value: Tensor
    public init(_ value: Tensor) { self.value = value }
}

/// The base of every layer and model: holds named parameters, buffers and child modules, like
/// `torch.nn.Module`, so their dotted names equal torchvision's `state_dict` keys
/// (`layer1.0.bn1.running_mean`).
///
/// Subclasses register what they own in `init` (order matters: it is the `state_dict` order) and
/// override `forward`. Calling a module (`try module(x)`) runs `forward` and offers the output to
/// an active `ActivationCapture` under the module's path.
///
/// What throws: invalid hyperparameters throw `ConfigurationError` from the initialiser, naming the
/// layer type and the value (`MaxPool2d: kernel size must be positive, got 0`); an input of the wrong
/// shape throws `ShapeError` from the call, naming the layer's path and the expected and actual shapes.
/// A module that was built can therefore only fail on its input.
open class Module {
    /// The dotted path of this module inside the model it was registered in (`""` at the root).
    public private(set) var path: String = ""
    /// Training mode (batch statistics, dropout) or evaluation mode; set with `train()` / `eval()`.
    public private(set) var isTraining = true

    private var parameterSlots: [(name: String, variable: Variable?)] = []
    private var bufferSlots: [(name: String, buffer: Buffer)] = []
    private var childSlots: [(name: String, module: Module)] = []

    public init() {}

    /// The layer's computation. Subclasses override this; callers use `callAsFunction`.
    open func forward(_ input: Variable) throws -> Variable {
        throw ConfigurationError(owner: label, "\(type(of: self)) does not implement forward(_:)")
    }

    /// Runs the module and records its output (and input) for an active `ActivationCapture`.
    public func callAsFunction(_ input: Variable) throws -> Variable {
        let output = try forward(input)
        if ActivationCapture.isActive { ActivationCapture.record(path, output, input: input) }
        return output
    }

    /// The name used in error messages: the module's path, or its type at the root.
    public var label: String { path.isEmpty ? String(describing: type(of: self)) : path }

    // MARK: Registration

    /// Registers a trainable parameter (nil reserves nothing; torchvision omits absent biases).
    public func registerParameter(_ name: String, _ variable: Variable?) {
        guard let variable else { return }
        parameterSlots.append((name, variable))
    }

    /// Registers a buffer (saved in the state dictionary, not trained).
    public func registerBuffer(_ name: String, _ buffer: Buffer) { bufferSlots.append((name, buffer)) }

    /// Registers a child module under `name` and gives it (and its subtree) its dotted path.
    @discardableResult
    public func registerModule<M: Module>(_ name: String, _ module: M) -> M {
        childSlots.append((name, module))
        module.assignPath(join(path, name))
        return module
    }

    private func assignPath(_ newPath: String) {
        path = newPath
        for (name, child) in childSlots { child.assignPath(join(newPath, name)) }
    }

    // MARK: Enumeration

    /// Direct children in registration order.
    public var children: [(name: String, module: Module)] { childSlots }

    /// This module and all descendants, depth-first, with their paths.
    public func modules() -> [Module] { [self] + childSlots.flatMap { $0.module.modules() } }

    /// Every trainable parameter with its dotted name, in `state_dict` order.
    public func namedParameters() -> [NamedParameter] {
        parameterSlots.compactMap { s in s.variable.map { NamedParameter(name: join(path, s.name), variable: $0) } }
            + childSlots.flatMap { $0.module.namedParameters() }
    }

    /// The trainable parameters.
    public var parameters: [Variable] { namedParameters().map(\.variable) }

    /// Every buffer with its dotted name.
    public func namedBuffers() -> [(name: String, buffer: Buffer)] {
        bufferSlots.map { (join(path, $0.name), $0.buffer) } + childSlots.flatMap { $0.module.namedBuffers() }
    }

    /// Total number of trainable parameter elements (torchvision's parameter count).
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    // MARK: Modes

    /// Switches this module and its descendants to training mode.
    public func train() { setTraining(true) }
    /// Switches this module and its descendants to evaluation mode.
    public func eval() { setTraining(false) }

    private func setTraining(_ on: Bool) {
        isTraining = on
        for (_, child) in childSlots { child.setTraining(on) }
    }

    // MARK: State

    /// Parameters and buffers by dotted name, in PyTorch's `state_dict` order (each module's
    /// parameters, then its buffers, then its children).
    public func stateDict() -> StateDict { StateDict(stateEntries()) }

    private func stateEntries() -> [StateDict.Element] {
        parameterSlots.compactMap { s in s.variable.map { (join(path, s.name), $0.value) } }
            + bufferSlots.map { (join(path, $0.name), $0.buffer.value) }
            + childSlots.flatMap { $0.module.stateEntries() }
    }

    /// Replaces parameters and buffers by name. Throws `StateDictError` listing every missing,
    /// unexpected and mis-shaped tensor; nothing is changed unless all match.
    public func loadStateDict(_ state: StateDict) throws {
        var targets: [String: (shape: [Int], assign: (Tensor) -> Void)] = [:]
        for p in namedParameters() { targets[p.name] = (p.variable.value.shape, { p.variable.value = $0 }) }
        for (name, b) in namedBuffers() { targets[name] = (b.value.shape, { b.value = $0 }) }
        let missing = targets.keys.filter { state[$0] == nil }.sorted()
        let unexpected = state.names.filter { targets[$0] == nil }.sorted()
        let misShaped = state.compactMap { name, t -> String? in
            guard let target = targets[name], target.shape != t.shape else { return nil }
            return "\(name): expected \(target.shape), got \(t.shape)"
        }.sorted()
        guard missing.isEmpty, unexpected.isEmpty, misShaped.isEmpty else {
            throw StateDictError(missing: missing, unexpected: unexpected, misShaped: misShaped)
        }
        // Every name was matched above, so each has a target.
        for (name, t) in state { targets[name]?.assign(t) }
    }
}

/// A trainable parameter and its dotted name in the model (`layer1.0.conv1.weight`).
public struct NamedParameter {
    /// The dotted name, a torchvision `state_dict` key.
    public let name: String
    /// The parameter.
    public let variable: Variable
    public init(name: String, variable: Variable) { self.name = name; self.variable = variable }
}

/// A state dictionary that does not fit a model, listing every problem by name.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    public var missing: [String]
    public var unexpected: [String]
    public var misShaped: [String]
    /// One line (see `oneLine`).
    public var description: String { oneLine }
}

func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }
