import FoveaTensor

/// An attribution method: given a batch of images and a target class for each, how much each input
/// pixel (or each location of a layer's map) contributed to that class's score.
///
/// Each method is a small strategy over `Explainer`, which runs the passes and checks the inputs.
/// Methods work on a whole batch at once, every image with its own target.
public protocol AttributionMethod {
    /// Which method this is.
    var kind: AttributionKind { get }
    /// Attributions for `input` `(N, C, H, W)` and one target per image (nil: the predicted class).
    func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution
}

extension AttributionMethod {
    /// The method's command-line name (`gradcam`, `ig`, …).
    public var name: String { kind.rawValue }
    /// The method's name as printed (`Grad-CAM`, `Integrated Gradients`, …).
    public var title: String { kind.title }
}

/// A method that explains through one layer's map (the CAM family).
public protocol LayerAttributionMethod: AttributionMethod {
    var layer: LayerChoice { get }
}

/// A method's output for a batch.
public struct Attribution {
    /// Which method produced it.
    public var method: AttributionKind
    /// The raw values: `(N, C, H, W)` over the input for pixel methods, `(N, h, w)` over the
    /// explained layer's grid for CAM methods.
    public var values: Tensor
    /// The class each image was explained for.
    public var targets: [Int]
    /// The layer a CAM method used (the resolved name when `auto` was asked for).
    public var layer: String?
    /// Integrated Gradients only: `Σ attributions − (f(x) − f(baseline))` per image, the completeness gap.
    public var completenessGap: [Float]?
    /// How each channel map becomes one heatmap value per pixel.
    public var reduction: Reduction

    /// From channels to one map: the conventions of each method's paper.
    public enum Reduction: Sendable {
        /// CAM maps are already one channel; negative values were removed by ReLU.
        case none
        /// `max_c |a_c|` (Simonyan et al. 2014 §3.1).
        case maxAbsolute
        /// `|Σ_c a_c|` (Integrated Gradients' usual display).
        case absoluteSum
        /// `max(Σ_c a_c / C, 0)`: occlusion's positive score drops.
        case positiveMean
    }

    public init(method: AttributionKind, values: Tensor, targets: [Int], layer: String? = nil,
                completenessGap: [Float]? = nil, reduction: Reduction) {
        self.method = method; self.values = values; self.targets = targets
        self.layer = layer; self.completenessGap = completenessGap; self.reduction = reduction
    }

    /// Number of images.
    public var count: Int { values.shape[0] }

    /// Image `i`'s map before normalisation: `(h, w)`, one value per location.
    public func rawMap(_ i: Int) -> Tensor {
        let shape = values.shape
        if values.rank == 3 { return values.item(i) }
        let (C, H, W) = (shape[1], shape[2], shape[3])
        let base = i * C * H * W
        var out = Tensor(shape: [H, W])
        for p in 0..<(H * W) {
            let channel = (0..<C).map { values.storage[base + $0 * H * W + p] }
            switch reduction {
            case .none, .absoluteSum: out.storage[p] = abs(channel.reduce(0, +))
            case .maxAbsolute: out.storage[p] = channel.map(abs).max()!
            case .positiveMean: out.storage[p] = max(channel.reduce(0, +) / Float(C), 0)
            }
        }
        return out
    }

    /// Image `i`'s heatmap in [0, 1] at `height × width` (the model's input size, or the original
    /// image's): CAM maps are min–max scaled then bilinearly resized (pytorch-grad-cam's
    /// `scale_cam_image`, twice); pixel maps are divided by their 99.5th percentile and clipped, so a
    /// few extreme gradients do not wash out the rest (Smilkov et al. 2017 §2 clip similarly).
    public func heatmap(_ i: Int, height: Int, width: Int) -> Tensor {
        let raw = rawMap(i)
        guard values.rank == 3 else { return resizeBilinear(percentileScaled(raw, 0.995), height: height, width: width) }
        // pytorch-grad-cam scales again after resizing (`aggregate_multi_layers`); kept for parity.
        return minMaxScaled(resizeBilinear(minMaxScaled(raw), height: height, width: width))
    }
}

/// `(x − min) / (max − min + 1e-7)`, as pytorch-grad-cam scales each CAM.
func minMaxScaled(_ t: Tensor) -> Tensor {
    let lo = t.storage.min() ?? 0
    var out = t
    for i in out.storage.indices { out.storage[i] -= lo }
    let hi = out.storage.max() ?? 0
    for i in out.storage.indices { out.storage[i] /= (1e-7 + hi) }
    return out
}

/// Non-negative map divided by its `q` quantile, clipped to [0, 1].
func percentileScaled(_ t: Tensor, _ q: Double) -> Tensor {
    let sorted = t.storage.sorted()
    let cut = sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    let scale = cut > 0 ? cut : (sorted.last ?? 0) > 0 ? sorted.last! : 1
    var out = t
    for i in out.storage.indices { out.storage[i] = min(max(out.storage[i] / scale, 0), 1) }
    return out
}

/// Bilinear resampling of an `(h, w)` map to `(H, W)` with half-pixel centres and clamped edges
/// (OpenCV's `INTER_LINEAR`, PyTorch's `align_corners=False`), no antialiasing; with `alignCorners`,
/// output pixel o samples `o·(h − 1)/(H − 1)` instead (PyTorch's `UpsamplingBilinear2d`).
public func resizeBilinear(_ map: Tensor, height H: Int, width W: Int, alignCorners: Bool = false) -> Tensor {
    let (h, w) = (map.shape[map.rank - 2], map.shape[map.rank - 1])
    if h == H && w == W { return Tensor(shape: [H, W], storage: map.storage) }
    func taps(_ from: Int, _ to: Int) -> [(Int, Int, Float)] {
        let scale = Double(from) / Double(to)
        return (0..<to).map { o in
            let s = alignCorners ? (to > 1 ? Double(o) * Double(from - 1) / Double(to - 1) : 0)
                : max((Double(o) + 0.5) * scale - 0.5, 0)
            let i0 = min(Int(s), from - 1), i1 = min(i0 + 1, from - 1)
            return (i0, i1, Float(s - Double(i0)))
        }
    }
    let ty = taps(h, H), tx = taps(w, W)
    var out = Tensor(shape: [H, W])
    for y in 0..<H {
        let (y0, y1, fy) = ty[y]
        for x in 0..<W {
            let (x0, x1, fx) = tx[x]
            let top = map.storage[y0 * w + x0] * (1 - fx) + map.storage[y0 * w + x1] * fx
            let bottom = map.storage[y1 * w + x0] * (1 - fx) + map.storage[y1 * w + x1] * fx
            out.storage[y * W + x] = top * (1 - fy) + bottom * fy
        }
    }
    return out
}
