/// A Float32 tensor: a shape and contiguous row-major storage.
///
/// Images are laid out NCHW, as in PyTorch (see docs/design.md). `Tensor` is a value type: copies
/// share storage until one of them is written (the copy-on-write of `Array`).
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first; `[]` is a scalar.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `storage.count == shape.reduce(1, *)`.
    public var storage: [Float]

    /// A tensor over existing elements. The caller guarantees `storage.count` equals the shape's product.
    public init(shape: [Int], storage: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(storage.count == shape.reduce(1, *), "storage of \(storage.count) elements does not fit shape \(shape)")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, storage: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor whose elements are written by `initializer` into uninitialised memory of the right size.
    public init(shape: [Int], unsafeUninitialized initializer: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let count = shape.reduce(1, *)
        self.shape = shape
        self.storage = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            initializer(buffer)
            initialized = count
        }
    }

    /// A scalar tensor.
    public init(_ scalar: Float) { self.init(shape: [], storage: [scalar]) }

    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }

    /// The same elements under another shape of equal element count; `-1` infers one dimension.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let resolved = try Tensor.resolve(newShape, count: count, from: shape)
        return Tensor(shape: resolved, storage: storage)
    }

    static func resolve(_ newShape: [Int], count: Int, from old: [Int]) throws -> [Int] {
        var s = newShape
        let inferred = s.indices.filter { s[$0] == -1 }
        guard inferred.count <= 1, s.allSatisfy({ $0 >= -1 }) else {
            throw ShapeError(layer: "reshape", expected: "at most one -1 and no negative sizes", actual: newShape)
        }
        if let i = inferred.first {
            let known = s.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw ShapeError(layer: "reshape", expected: "a shape with \(count) elements (from \(old))", actual: newShape)
            }
            s[i] = count / known
        }
        guard s.reduce(1, *) == count else {
            throw ShapeError(layer: "reshape", expected: "a shape with \(count) elements (from \(old))", actual: newShape)
        }
        return s
    }

    /// Reads storage through a pointer (for kernels).
    @inlinable public func withUnsafePointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// Writes storage through a pointer (for kernels).
    @inlinable public mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }

    /// The element at a multi-index (slow; for tests and printing).
    public subscript(_ index: Int...) -> Float {
        get { storage[flatIndex(index)] }
        set { storage[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match rank \(shape.count)")
        var flat = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(index) out of range for shape \(shape)")
            flat = flat * n + i
        }
        return flat
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = storage.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
