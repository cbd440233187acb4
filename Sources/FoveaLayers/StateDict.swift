import FoveaTensor

/// A model's parameters and buffers by dotted name, in order: what `Module.stateDict()` returns,
/// `Module.loadStateDict(_:)` takes, and safetensors files hold — PyTorch's `state_dict`.
///
/// Iterating yields `(name, tensor)` pairs in order (`stateDict()` gives PyTorch's order, a file
/// read gives the file's); names are unique, and `state[name]` looks one up.
public struct StateDict: Sequence, Equatable {
    /// One named tensor.
    public typealias Element = (name: String, tensor: Tensor)

    private var entries: [Element] = []
    private var positions: [String: Int] = [:]

    /// An empty state dictionary.
    public init() {}

    /// The pairs in the given order; a name given twice keeps its first position and its last tensor.
    public init<S: Sequence>(_ pairs: S) where S.Element == Element {
        for (name, tensor) in pairs { self[name] = tensor }
    }

    /// The dictionary's tensors, ordered by name (a dictionary has no order of its own).
    public init(_ dictionary: [String: Tensor]) {
        self.init(dictionary.sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) })
    }

    /// The tensor named `name`, or nil. Assigning replaces it in place or appends it; assigning nil removes it.
    public subscript(name: String) -> Tensor? {
        get { positions[name].map { entries[$0].tensor } }
        set {
            if let i = positions[name] {
                if let newValue { entries[i].tensor = newValue } else { remove(at: i) }
            } else if let newValue {
                positions[name] = entries.count
                entries.append((name, newValue))
            }
        }
    }

    private mutating func remove(at index: Int) {
        positions[entries[index].name] = nil
        entries.remove(at: index)
        for i in index..<entries.count { positions[entries[i].name] = i }
    }

    /// The names, in order.
    public var names: [String] { entries.map(\.name) }
    /// The tensors, in order.
    public var tensors: [Tensor] { entries.map(\.tensor) }
    /// How many tensors there are.
    public var count: Int { entries.count }
    /// Whether there are none.
    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> { entries.makeIterator() }
    public var underestimatedCount: Int { entries.count }

    /// Equal names in equal order with equal tensors.
    public static func == (a: StateDict, b: StateDict) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.name == $1.name && $0.tensor == $1.tensor }
    }
}
