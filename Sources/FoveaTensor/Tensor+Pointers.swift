extension Tensor {
    /// Read pointers into several tensors' storage at once — nil for a nil tensor — valid only inside
    /// `body`: one closure for a kernel call that reads many buffers, instead of one nested
    /// `withUnsafePointer` closure per buffer.
    public static func withUnsafePointers<R>(_ tensors: [Tensor?], _ body: ([UnsafePointer<Float>?]) -> R) -> R {
        var pointers: [UnsafePointer<Float>?] = []
        pointers.reserveCapacity(tensors.count)
        func nest(_ i: Int) -> R {
            guard i < tensors.count else { return body(pointers) }
            guard let tensor = tensors[i] else {
                pointers.append(nil)
                return nest(i + 1)
            }
            return tensor.withUnsafePointer { p in
                pointers.append(p)
                return nest(i + 1)
            }
        }
        return nest(0)
    }
}
