import FoveaData
import FoveaImage
import FoveaLayers
import FoveaTensor

// Seeing the network itself: its first-layer filters, one image's feature maps at any layer, and
// the images of a dataset that most activate a channel (Zeiler & Fergus 2014, arXiv:1311.2901 §2.1;
// Erhan et al. 2009 "Visualizing Higher-Layer Features of a Deep Network").

extension Explainer {
    /// The first convolution's filters as an image grid: RGB filters in colour, others in viridis
    /// (the mean over input channels), each scaled to its own min–max.
    public func firstLayerFilters(tileSize: Int = 64) throws -> ImageGrid {
        guard let conv = model.modules().compactMap({ $0 as? Conv2d }).first else {
            throw ConfigurationError(owner: "filters", "the model has no convolution layer")
        }
        let w = conv.weight.value
        let (O, C, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let images: [Image] = (0..<O).map { o in
            let filter = Array(w.storage[(o * C * kh * kw)..<((o + 1) * C * kh * kw)])
            let lo = filter.min()!, span = max(filter.max()! - lo, 1e-12)
            if C == 3 {
                return Image(tensor: Tensor(shape: [3, kh, kw], storage: filter.map { ($0 - lo) / span }))
            }
            var mean = [Float](repeating: 0, count: kh * kw)
            for c in 0..<C { for p in 0..<(kh * kw) { mean[p] += filter[c * kh * kw + p] / Float(C) } }
            return Colormap.viridis.image(of: minMaxScaled(Tensor(shape: [kh, kw], storage: mean)))
        }
        return ImageGrid(images: images, labels: (0..<O).map { "\($0)" }, columns: min(O, 16), tileSize: tileSize,
                         title: "First-layer filters: \(conv.path) (\(O) × \(C) × \(kh) × \(kw))\(C == 3 || C == 1 ? "" : ", mean over input channels")")
    }

    /// The output of `layer` for one image `(1, C, H, W)`: one tile per channel (at most
    /// `maxChannels`), in viridis on a scale shared by the whole layer, so weak and dead channels look dark.
    public func featureMaps(_ input: Tensor, layer: String, maxChannels: Int = 64, tileSize: Int = 96) throws -> ImageGrid {
        let a = try activation(input, layer: layer)
        let (K, h, w) = (a.shape[1], a.shape[2], a.shape[3])
        let lo = min(a.storage.min()!, 0), hi = a.storage.max()!, span = max(hi - lo, 1e-12)
        let shown = min(K, maxChannels)
        let images = (0..<shown).map { k in
            Colormap.viridis.image(of: Tensor(shape: [h, w], storage: a.storage[(k * h * w)..<((k + 1) * h * w)].map { ($0 - lo) / span }))
        }
        let labels = (0..<shown).map { k in "#\(k) max \(fmtShort(a.storage[(k * h * w)..<((k + 1) * h * w)].max()!))" }
        return ImageGrid(images: images, labels: labels, columns: min(shown, 8), tileSize: tileSize,
                         title: "Feature maps of \(layer): \(K) × \(h) × \(w)\(K > shown ? ", first \(shown) channels" : ""); colour scale \(fmtShort(lo))…\(fmtShort(hi)) (viridis)")
    }

    /// `layer`'s output `(N, K, h, w)` for a batch, without gradients; unknown or non-spatial
    /// layers throw an error listing the valid ones.
    public func activation(_ input: Tensor, layer: String) throws -> Tensor {
        try forwardCapturing(input, layer: .named(layer)).activation
    }

    /// The `top` images of `dataset` (normalised by `spec`) whose strongest response of `channel` at
    /// `layer` (its spatial maximum, as Zeiler & Fergus rank them) is largest, most active first,
    /// as (index, activation).
    public func topActivating(_ dataset: ImageDataset, spec: InputSpec, layer: String, channel: Int, top: Int = 16,
                              limit: Int? = nil, batchSize: Int = 256) throws -> [(index: Int, activation: Float)] {
        let n = min(dataset.count, limit ?? dataset.count)
        var scores: [(Int, Float)] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let end = min(start + batchSize, n)
            let batch = Tensor(shape: [end - start, dataset.channels, dataset.height, dataset.width],
                               storage: (start..<end).flatMap { i in normalised(dataset.image(at: i).storage, spec, dataset.height * dataset.width) })
            let a = try activation(batch, layer: layer)
            let (K, hw) = (a.shape[1], a.shape[2] * a.shape[3])
            guard (0..<K).contains(channel) else {
                throw ConfigurationError(owner: "features", "channel \(channel) is out of range: \(layer) has \(K) channels (0…\(K - 1))")
            }
            for b in 0..<(end - start) {
                let base = (b * K + channel) * hw
                scores.append((start + b, a.storage[base..<(base + hw)].max()!))
            }
        }
        return scores.sorted { $0.1 > $1.1 }.prefix(top).map { ($0.0, $0.1) }
    }
}

private func normalised(_ values: [Float], _ spec: InputSpec, _ plane: Int) -> [Float] {
    values.enumerated().map { i, v in
        let c = i / plane
        return (v - spec.mean[spec.mean.count == 1 ? 0 : c]) / spec.std[spec.std.count == 1 ? 0 : c]
    }
}

/// A short number for labels: 3 significant digits.
func fmtShort(_ v: Float) -> String {
    let a = abs(v)
    if a >= 100 || a == 0 { return String(Int(v.rounded())) }
    let digits = a >= 10 ? 1 : a >= 1 ? 2 : 3
    var s = String(Double(v))
    if let dot = s.firstIndex(of: ".") { s = String(s.prefix(upTo: s.index(dot, offsetBy: digits + 1, limitedBy: s.endIndex) ?? s.endIndex)) }
    return s
}
