// What a network computes, layer by layer: output shapes, parameters, multiply-accumulates,
// receptive fields and activation memory, found by running it once on a zero input.
import FoveaLayers
import FoveaTensor

/// One row of a `ModelSummary`: one call of a leaf layer (or a container that owns parameters of
/// its own, such as ConvNeXt's `layer_scale`), in execution order.
public struct LayerSummary: Sendable, Equatable {
    /// The layer's dotted path (`layer1.0.conv1`).
    public var path: String
    /// The layer's type (`Conv2d`).
    public var type: String
    /// The output shape, batch first.
    public var outputShape: [Int]
    /// Parameters owned by this layer (counted on its first call only, so rows sum to the total).
    public var parameters: Int
    /// Multiply-accumulates of this call for the whole batch (see `ModelSummary` for what counts).
    public var multiplyAccumulates: Int
    /// Receptive field (height, width) of one output element, in input pixels.
    public var receptiveField: (height: Int, width: Int)
    /// Effective stride (jump) (height, width): input pixels between neighbouring output elements.
    public var jump: (height: Int, width: Int)
    /// Bytes of the output (Float32).
    public var outputBytes: Int

    public static func == (a: LayerSummary, b: LayerSummary) -> Bool {
        a.path == b.path && a.type == b.type && a.outputShape == b.outputShape && a.parameters == b.parameters
            && a.multiplyAccumulates == b.multiplyAccumulates && a.receptiveField == b.receptiveField
            && a.jump == b.jump && a.outputBytes == b.outputBytes
    }
}

/// A per-layer account of a model, like `torchinfo.summary` plus receptive fields.
///
/// The model runs once in evaluation mode without gradients on a zero input while an
/// `ActivationCapture` records every module's input and output; the rows are the leaf modules'
/// calls in execution order, and each row's numbers come from the layer's type and shapes.
///
/// **Multiply-accumulates** are counted as torchvision's published figures (its docs call them
/// "GFLOPS"; they are MACs): a convolution costs `output elements × in/groups × KH × KW`, a linear
/// layer (and `ChannelLinear`) `output elements × in`. Biases, batch/layer norms, activations,
/// pooling, residual additions and squeeze-excitation products cost nothing — they are memory-bound
/// and torchvision leaves them out; with them counted resnet50 would be ~1% higher.
///
/// **Receptive field** and **jump** follow the standard recurrence `r' = r + (k_eff − 1)·j`,
/// `j' = j·s` with `k_eff = d·(k − 1) + 1`. Where paths meet (a residual addition) the larger field
/// is kept. Ops run outside modules (functional pooling, `flatten`, additions) are seen through
/// their shapes: a tensor no module produced takes the largest field among the tensors of the same
/// spatial size inside the enclosing module, or, when its size shrank, a pooling that maps one onto
/// the other (global average pooling covers the whole input). Squeeze-excitation gates (global
/// context multiplied in) are therefore not counted as widening the field.
///
/// **Activation memory**: `totalActivationBytes` sums every row's output; `peakActivationBytes`
/// is the largest sum of tensors alive at once when each is freed after its last consumer (as
/// inference without gradients does). It does not see convolution workspaces or tensors made
/// outside modules, so it is an estimate of the working set, not a measurement.
public struct ModelSummary: Sendable {
    /// The input shape, batch first.
    public var inputShape: [Int]
    /// One row per leaf-layer call, in execution order.
    public var layers: [LayerSummary]
    /// Trainable parameters of the whole model (torchvision's count).
    public var parameters: Int
    /// Sum of the rows' multiply-accumulates.
    public var multiplyAccumulates: Int
    /// Sum of the rows' output bytes.
    public var totalActivationBytes: Int
    /// The most activation bytes alive at once (estimate; see the type's documentation).
    public var peakActivationBytes: Int
    /// Bytes of the distinct activations (input included), largest first.
    public var activationSizes: [Int]
    /// Bytes of the parameters as Float32.
    public var parameterBytes: Int { parameters * MemoryLayout<Float>.size }

    /// Summarises `model` on a zero input of shape `input` (batch first, `(N, C, H, W)`).
    /// The model is put in evaluation mode for the pass and restored afterwards.
    public init(model: Module, input: [Int]) throws {
        guard input.count == 4, input.allSatisfy({ $0 > 0 }) else {
            throw ShapeError(layer: "summary", expected: "input (N, C, H, W) with positive sizes", actual: input)
        }
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        let x = Variable(Tensor(shape: input))
        let capture = ActivationCapture()
        _ = try GradMode.withoutGradients { try capture.during { try model(x) } }
        self.inputShape = input
        self.parameters = model.parameterCount
        var trace = Trace(model: model, input: x, calls: zip(capture.outputs, capture.inputs).map {
            Trace.Call(path: $0.0.name, output: $0.0.variable, input: $0.1)
        })
        self.layers = trace.rows()
        self.multiplyAccumulates = layers.reduce(0) { $0 + $1.multiplyAccumulates }
        self.totalActivationBytes = layers.reduce(0) { $0 + $1.outputBytes }
        (self.peakActivationBytes, self.activationSizes) = trace.memory()
    }
}

/// The captured calls of one pass and what is derived from them.
struct Trace {
    struct Call { let path: String, output: Variable, input: Variable? }
    /// Receptive field and jump of a tensor, (height, width).
    struct Field { var size: SIMD2<Int>, jump: SIMD2<Int> }

    let model: Module
    let input: Variable
    let calls: [Call]
    let modules: [String: Module]
    var fields: [ObjectIdentifier: Field] = [:]

    init(model: Module, input: Variable, calls: [Call]) {
        self.model = model; self.input = input; self.calls = calls
        modules = Dictionary(model.modules().map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        fields[ObjectIdentifier(input)] = Field(size: [1, 1], jump: [1, 1])
    }

    /// One row per leaf call (and per container owning parameters), filling in receptive fields.
    mutating func rows() -> [LayerSummary] {
        var rows: [LayerSummary] = []
        var counted = Set<String>()
        for (i, call) in calls.enumerated() {
            guard let module = modules[call.path] else { continue }
            let isLeaf = module.children.isEmpty
            let inputField = call.input.map { field(of: $0, at: i, scope: isLeaf ? parentPath(call.path) : call.path) }
                ?? Field(size: [1, 1], jump: [1, 1])
            let outputID = ObjectIdentifier(call.output)
            let f: Field
            if isLeaf {
                f = Self.apply(module, to: inputField, input: call.input?.shape, output: call.output.shape)
            } else {
                f = fields[outputID] ?? field(of: call.output, at: i, scope: call.path)
            }
            fields[outputID] = f
            let own = ownParameters(module)
            guard isLeaf || own > 0 else { continue }
            rows.append(LayerSummary(
                path: call.path, type: String(describing: Swift.type(of: module)), outputShape: call.output.shape,
                parameters: counted.insert(call.path).inserted ? own : 0,
                multiplyAccumulates: isLeaf ? Self.multiplyAccumulates(module, output: call.output.shape) : 0,
                receptiveField: (f.size[0], f.size[1]), jump: (f.jump[0], f.jump[1]),
                outputBytes: call.output.value.count * MemoryLayout<Float>.size))
        }
        return rows
    }

    /// The field of `tensor` as used by call `i`: known when a module made it; otherwise inferred
    /// from the tensors of module `scope` (its input and its descendants' outputs before call `i`).
    mutating func field(of tensor: Variable, at i: Int, scope: String) -> Field {
        if let known = fields[ObjectIdentifier(tensor)] { return known }
        var candidates: [Variable] = []
        if scope.isEmpty {
            candidates.append(input)
        } else if let owner = calls[i...].first(where: { $0.path == scope }), let scopeInput = owner.input {
            candidates.append(scopeInput)
        }
        let prefix = scope.isEmpty ? "" : scope + "."
        candidates += calls[..<i].filter { $0.path.hasPrefix(prefix) }.map(\.output)
        let known = candidates.compactMap { c in fields[ObjectIdentifier(c)].map { (c, $0) } }
        let target = Self.spatial(tensor.shape)
        let sameSize = known.filter { Self.spatial($0.0.shape) == target }
        let result: Field
        if let best = sameSize.max(by: { $0.1.size[0] * $0.1.size[1] < $1.1.size[0] * $1.1.size[1] }) {
            result = best.1
        } else if let best = known.max(by: { $0.1.size[0] * $0.1.size[1] < $1.1.size[0] * $1.1.size[1] }) {
            result = Self.pooling(best.1, from: Self.spatial(best.0.shape), to: target)
        } else {
            result = Field(size: [1, 1], jump: [1, 1])
        }
        fields[ObjectIdentifier(tensor)] = result
        return result
    }

    /// The output field of leaf `module` given its input's field and the shapes around it.
    static func apply(_ module: Module, to f: Field, input: [Int]?, output: [Int]) -> Field {
        func window(_ kernel: SIMD2<Int>, _ stride: SIMD2<Int>, _ dilation: SIMD2<Int> = [1, 1]) -> Field {
            Field(size: f.size &+ (dilation &* (kernel &- 1)) &* f.jump, jump: f.jump &* stride)
        }
        if let layer = module as? SlidingWindowLayer {
            return window(layer.windowSize, layer.windowStride, layer.windowDilation)
        }
        // Adaptive pooling, flatten and anything else: whatever the shapes say.
        guard let input else { return f }
        return pooling(f, from: spatial(input), to: spatial(output))
    }

    /// A pooling window that maps spatial size `from` onto `to` (identity when equal; the whole
    /// input when `to` is 1x1, as global pooling and flattening are).
    static func pooling(_ f: Field, from: SIMD2<Int>, to: SIMD2<Int>) -> Field {
        guard from != to else { return f }
        var kernel = SIMD2<Int>(1, 1), stride = SIMD2<Int>(1, 1)
        for d in 0..<2 where to[d] < from[d] {
            stride[d] = from[d] / to[d]
            kernel[d] = from[d] - (to[d] - 1) * stride[d]
        }
        return Field(size: f.size &+ (kernel &- 1) &* f.jump, jump: f.jump &* stride)
    }

    /// (H, W) of an `(N, C, H, W)` tensor; anything flat counts as 1x1.
    static func spatial(_ shape: [Int]) -> SIMD2<Int> { shape.count == 4 ? [shape[2], shape[3]] : [1, 1] }

    /// torchvision's multiply-accumulate count of one call (see `ModelSummary`).
    static func multiplyAccumulates(_ module: Module, output: [Int]) -> Int {
        (module as? WeightedLayer)?.multiplyAccumulates(outputCount: output.reduce(1, *)) ?? 0
    }

    /// Parameters registered on `module` itself, not on its children.
    func ownParameters(_ module: Module) -> Int {
        let all = module.namedParameters().reduce(0) { $0 + $1.variable.value.count }
        return all - module.children.reduce(0) { $0 + $1.module.parameterCount }
    }

    func parentPath(_ path: String) -> String {
        guard let dot = path.lastIndex(of: ".") else { return "" }
        return String(path[..<dot])
    }

    /// (peak bytes alive at once, distinct activation sizes largest first). A tensor lives from
    /// the call that made it to the last call that used it (a container's input stays alive until
    /// the container returns, which keeps residual inputs alive across their blocks).
    func memory() -> (peak: Int, sizes: [Int]) {
        var span: [ObjectIdentifier: (first: Int, last: Int, bytes: Int)] = [:]
        func touch(_ v: Variable, _ i: Int) {
            let id = ObjectIdentifier(v)
            if let s = span[id] { span[id] = (s.first, max(s.last, i), s.bytes) }
            else { span[id] = (i, i, v.value.count * MemoryLayout<Float>.size) }
        }
        touch(input, 0)
        for (i, call) in calls.enumerated() {
            if let x = call.input { touch(x, i) }
            touch(call.output, i)
        }
        var peak = 0
        for i in calls.indices {
            peak = max(peak, span.values.reduce(0) { $0 + ($1.first <= i && i <= $1.last ? $1.bytes : 0) })
        }
        return (peak, span.values.map(\.bytes).sorted(by: >))
    }
}
