import FoveaTensor

/// A node of the autograd graph: a tensor value, its accumulated gradient, and how to send a
/// gradient back to the nodes it was computed from.
///
/// Reverse mode, written by hand: each op builds its output `Variable` and, right beside the
/// forward computation, a `backward` closure that *accumulates* (`+=`) into its inputs' gradients.
/// `backward()` sorts the graph topologically and runs the closures in reverse.
/// Nothing is recorded when gradients are disabled (`GradMode.withoutGradients`) or when no input
/// requires a gradient — then intermediate values are freed as soon as the caller drops them.
public final class Variable {
    /// The forward value.
    public var value: Tensor
    /// ∂loss/∂value after `backward()`, or nil when no gradient reached this node.
    public var grad: Tensor?
    /// Whether gradients flow to (and are kept for) this node. Inside
    /// `GradMode.withGradients(onlyFor:)`, leaves outside the given set (parameters) answer false.
    public var requiresGrad: Bool {
        guard storesGradient else { return false }
        guard isLeaf, let only = GradMode.gradientLeaves else { return true }
        return only.contains(ObjectIdentifier(self))
    }
    private let storesGradient: Bool
    private let isLeaf: Bool
    /// The op (or layer) that produced the value, for error messages and graph dumps.
    public let op: String

    /// Inputs that need gradients; empty for leaves.
    private(set) var parents: [Variable]
    /// Accumulates into the parents' `grad` given this node's gradient.
    private var backwardFn: ((Tensor) -> Void)?

    /// A leaf: an input or a parameter.
    public init(_ value: Tensor, requiresGrad: Bool = false, op: String = "leaf") {
        self.value = value
        self.storesGradient = requiresGrad
        self.isLeaf = true
        self.op = op
        self.parents = []
        self.backwardFn = nil
    }

    /// An op's output. Records the parents and backward only when gradients are enabled and some
    /// parent requires them; otherwise the result is a constant and its inputs can be freed.
    public init(_ value: Tensor, op: String, parents: [Variable], backward: @escaping (Tensor) -> Void) {
        self.value = value
        self.op = op
        let live = GradMode.isEnabled ? parents.filter(\.requiresGrad) : []
        self.storesGradient = !live.isEmpty
        self.isLeaf = false
        self.parents = live
        self.backwardFn = live.isEmpty ? nil : backward
    }

    /// The value's shape.
    public var shape: [Int] { value.shape }

    /// Adds `g` into this node's gradient (the `+=` every backward uses).
    public func accumulate(_ g: Tensor) {
        guard requiresGrad else { return }
        precondition(g.shape == value.shape, "\(op): gradient shape \(g.shape) does not match value shape \(value.shape)")
        if grad == nil {
            grad = g
        } else {
            grad!.withUnsafeMutablePointer { dst in
                g.withUnsafePointer { src in
                    for i in 0..<g.count { dst[i] += src[i] }
                }
            }
        }
    }

    /// Runs reverse mode from this node, seeding its gradient with `seed` (ones for a scalar loss).
    ///
    /// After the pass, every node that requires a gradient holds `grad`. The graph's closures are
    /// released afterwards unless `retainGraph` is set, so activations are freed.
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false) {
        guard requiresGrad else { return }
        let start = seed ?? Tensor(shape: value.shape, repeating: 1)
        precondition(start.shape == value.shape, "backward seed shape \(start.shape) != \(value.shape)")
        accumulate(start)
        for node in topologicalOrder().reversed() {
            guard let fn = node.backwardFn, let g = node.grad else { continue }
            fn(g)
            if !retainGraph {
                // Drop the closure (and the activations it captured) as soon as it has run.
                node.backwardFn = nil
                node.parents = []
            }
        }
    }

    /// Nodes reachable from self, each after all of its parents (iterative DFS: deep ResNets
    /// would overflow a recursive one).
    func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            if !visited.insert(ObjectIdentifier(node)).inserted { continue }
            stack.append((node, true))
            for p in node.parents where !visited.contains(ObjectIdentifier(p)) { stack.append((p, false)) }
        }
        return order
    }

    /// Clears the gradient (parameters call this between steps).
    public func zeroGrad() { grad = nil }
}

extension Variable: CustomStringConvertible {
    public var description: String { "Variable(\(op), shape: \(shape)\(requiresGrad ? ", requiresGrad" : ""))" }
}
