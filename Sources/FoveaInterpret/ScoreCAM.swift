import Foundation
import FoveaTensor

/// Score-CAM: Wang et al. 2020, "Score-CAM: Score-Weighted Visual Explanations for Convolutional
/// Neural Networks", CVPR Workshops, arXiv:1910.01279. No gradients: each channel `A_k` of the
/// layer's map, upsampled to the input and min–max scaled to [0, 1], masks the input; the target
/// logit `s_k` of each masked image weighs its channel, `α = softmax_k(s)`, and
/// `cam = ReLU(Σ_k α_k A_k)`. As pytorch-grad-cam's `ScoreCAM`: bilinear upsampling with aligned
/// corners, logits (not probabilities) softmaxed over channels, no baseline subtracted.
///
/// Cost: one forward pass per channel and image (512 for ResNet-18's `layer4`), in passes of at
/// most `batchSize` masked images.
public struct ScoreCAM: LayerAttributionMethod {
    /// The layer explained through.
    public var layer: LayerChoice
    /// The most masked images per forward pass.
    public var batchSize: Int

    public init(layer: LayerChoice = .automatic, batchSize: Int = 64) {
        self.layer = layer
        self.batchSize = batchSize
    }

    public var kind: AttributionKind { .scoreCAM }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        guard batchSize > 0 else { throw ConfigurationError(owner: "scorecam", "batch size must be positive, got \(batchSize)") }
        let (logits, layerName, A) = try explainer.forwardCapturing(input, layer: layer)
        let chosen = try explainer.resolveTargets(targets, logits: logits)
        let (N, C, H, W) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (K, h, w) = (A.shape[1], A.shape[2], A.shape[3])
        let classes = logits.shape[1]
        var cams = Tensor(shape: [N, h, w])
        for n in 0..<N {
            let image = input.storage[(n * C * H * W)..<((n + 1) * C * H * W)]
            var scores = [Float](repeating: 0, count: K)
            for k0 in stride(from: 0, to: K, by: batchSize) {
                let k1 = min(k0 + batchSize, K)
                var rows = [Float]()
                rows.reserveCapacity((k1 - k0) * C * H * W)
                for k in k0..<k1 {
                    let base = (n * K + k) * h * w
                    let channel = Tensor(shape: [h, w], storage: Array(A.storage[base..<(base + h * w)]))
                    let mask = unitScaled(resizeBilinear(channel, height: H, width: W, alignCorners: true).storage)
                    for c in 0..<C {
                        let plane = image.startIndex + c * H * W
                        for q in 0..<(H * W) { rows.append(image[plane + q] * mask[q]) }
                    }
                }
                let out = try explainer.logits(Tensor(shape: [k1 - k0, C, H, W], storage: rows), batchSize: batchSize)
                for k in k0..<k1 { scores[k] = out.storage[(k - k0) * classes + chosen[n]] }
            }
            let alpha = Tensor(shape: [1, K], storage: scores).softmaxRows().storage
            for k in 0..<K {
                let base = (n * K + k) * h * w
                for q in 0..<(h * w) { cams.storage[n * h * w + q] += alpha[k] * A.storage[base + q] }
            }
            for q in 0..<(h * w) { cams.storage[n * h * w + q] = max(cams.storage[n * h * w + q], 0) }
        }
        return Attribution(method: kind, values: cams, targets: chosen, layer: layerName, reduction: .none)
    }
}

/// `(m − min) / (max − min + 1e-8)`, Score-CAM's mask scaling.
func unitScaled(_ m: [Float]) -> [Float] {
    let lo = m.min() ?? 0, hi = m.max() ?? 0
    return m.map { ($0 - lo) / (hi - lo + 1e-8) }
}
