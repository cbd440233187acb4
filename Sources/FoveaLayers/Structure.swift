import FoveaTensor

/// Runs children in order; they are named "0", "1", … like `torch.nn.Sequential`.
public final class Sequential: Module {
    public init(_ layers: [Module]) {
        super.init()
        for (i, layer) in layers.enumerated() { registerModule(String(i), layer) }
    }
    public convenience init(_ layers: Module...) { self.init(layers) }

    public override func forward(_ x: Variable) throws -> Variable {
        if InferenceFusion.applies(to: self) { return try InferenceFusion.run(children.map(\.module), on: x) }
        return try children.reduce(x) { try $1.module($0) }
    }
}

/// Residual composition (He et al. 2016): `post(body(x) + shortcut(x))`, identity shortcut when nil.
/// Children are registered under the given names so the keys match the model being mirrored.
public final class Residual: Module {
    public let body: Module
    public let shortcut: Module?
    public let post: Module?

    public init(body: (name: String, module: Module), shortcut: (name: String, module: Module)? = nil,
                post: (name: String, module: Module)? = nil) {
        self.body = body.module; self.shortcut = shortcut?.module; self.post = post?.module
        super.init()
        registerModule(body.name, body.module)
        if let shortcut { registerModule(shortcut.name, shortcut.module) }
        if let post { registerModule(post.name, post.module) }
    }

    public override func forward(_ x: Variable) throws -> Variable {
        let y = try body(x)
        let s = try shortcut?(x) ?? x
        guard y.shape == s.shape else {
            throw ShapeError(layer: label, expected: "body and shortcut outputs of equal shape \(s.shape)", actual: y.shape)
        }
        let sum = try y + s
        return try post?(sum) ?? sum
    }
}

/// `torch.nn.Flatten`: `(N, C, H, W)` → `(N, C·H·W)`.
public final class Flatten: Module {
    public override init() {}
    public override func forward(_ x: Variable) throws -> Variable { try flatten(x, startDim: 1) }
}

/// `torch.nn.Dropout(p)`: active only in training mode.
public final class Dropout: Module, StatefulRandomness {
    public let p: Float
    public var rng: RandomGenerator
    public init(p: Float = 0.5, using rng: inout RandomGenerator) throws {
        guard p >= 0 && p < 1 else {
            throw ConfigurationError(owner: "Dropout", "p must be in [0, 1), got \(p)")
        }
        self.p = p
        self.rng = RandomGenerator(seed: rng.next())
    }
    public override func forward(_ x: Variable) throws -> Variable { try dropout(x, p: p, training: isTraining, using: &rng, label: label) }
}

/// torchvision's `StochasticDepth(p, "row")`: drops the whole residual branch per sample in training.
public final class StochasticDepth: Module, StatefulRandomness {
    public let p: Float
    public var rng: RandomGenerator
    public init(p: Float, using rng: inout RandomGenerator) throws {
        guard p >= 0 && p <= 1 else {
            throw ConfigurationError(owner: "StochasticDepth", "p must be in [0, 1], got \(p)")
        }
        self.p = p
        self.rng = RandomGenerator(seed: rng.next())
    }
    public override func forward(_ x: Variable) throws -> Variable { try stochasticDepth(x, p: p, training: isTraining, using: &rng, label: label) }
}

/// A module that draws random numbers while training (dropout, stochastic depth). Checkpoints save
/// each such module's generator so a resumed run draws exactly what an uninterrupted one would.
public protocol StatefulRandomness: AnyObject {
    var rng: RandomGenerator { get set }
}

extension Module {
    /// The generators of every `StatefulRandomness` module, by module path.
    public var randomStates: [String: [UInt64]] {
        var states: [String: [UInt64]] = [:]
        for m in modules() { if let r = m as? StatefulRandomness { states[m.path] = r.rng.stateWords } }
        return states
    }

    /// Restores generators saved from `randomStates`.
    public func restoreRandomStates(_ states: [String: [UInt64]]) throws {
        for m in modules() {
            guard let r = m as? StatefulRandomness else { continue }
            guard let words = states[m.path], words.count == 4 else {
                throw ConfigurationError(owner: m.label, "the checkpoint has no random-generator state for this layer")
            }
            r.rng = RandomGenerator(state: words)
        }
    }
}
