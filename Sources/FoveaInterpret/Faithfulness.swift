import FoveaTensor

/// Deletion and insertion (Petsiuk, Das & Saenko 2018, "RISE: Randomized Input Sampling for
/// Explanation of Black-box Models", arXiv:1806.07421 §4.1): pixels are removed from the image (set
/// to black) — or inserted into a blurred copy — most important first, `steps` equal chunks at a
/// time, and the target class's probability traced. The area under that curve (x from 0 to 1,
/// trapezoid rule) is low for a faithful map under deletion and high under insertion.
public struct Faithfulness {
    /// Equal chunks the pixels are removed or inserted in.
    public var steps: Int
    /// Gaussian blur for the insertion canvas, as a fraction of the image side (RISE blurs 224
    /// pixel images with σ = 5; ~side/10 here so small images lose their detail too).
    public var blurFraction: Double
    /// The most images per forward pass.
    public var batchSize: Int

    public init(steps: Int = 28, blurFraction: Double = 0.1, batchSize: Int = 256) {
        self.steps = steps; self.blurFraction = blurFraction; self.batchSize = batchSize
    }

    /// Per-image deletion and insertion AUCs of `method` on `input` `(N, C, H, W)`; `black` is
    /// each channel's value of a black pixel in the model's normalised space.
    public func evaluate(_ method: AttributionMethod, input: Tensor, black: [Float], explainer: Explainer) throws -> (deletion: [Double], insertion: [Double]) {
        let a = try method.attribute(input, targets: nil, explainer: explainer)
        let (N, C, H, W) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let plane = H * W, per = C * plane
        var deletion: [Double] = [], insertion: [Double] = []
        for n in 0..<N {
            let image = input.item(n).storage
            let ranking = rankingMap(a, n, height: H, width: W)
            let order = ranking.storage.indices.sorted { ranking.storage[$0] > ranking.storage[$1] }
            let blurred = blur(image, C, H, W, sigma: blurFraction * Double(max(H, W)))
            var rows: [Float] = []
            rows.reserveCapacity(2 * (steps + 1) * per)
            for mode in 0..<2 {
                var current = mode == 0 ? image : blurred
                for t in 0...steps {
                    if t > 0 {
                        for q in order[((t - 1) * plane / steps)..<(t * plane / steps)] {
                            for c in 0..<C { current[c * plane + q] = mode == 0 ? black[black.count == 1 ? 0 : c] : image[c * plane + q] }
                        }
                    }
                    rows += current
                }
            }
            let p = try explainer.probabilities(Tensor(shape: [2 * (steps + 1), C, H, W], storage: rows), batchSize: batchSize)
            let K = p.shape[1], k = a.targets[n]
            let curve = (0..<(2 * (steps + 1))).map { Double(p.storage[$0 * K + k]) }
            deletion.append(areaUnderCurve(Array(curve[0...steps])))
            insertion.append(areaUnderCurve(Array(curve[(steps + 1)...])))
        }
        return (deletion, insertion)
    }
}

/// The order pixels are taken in: the raw map (CAMs upsampled bilinearly), not the clipped heatmap,
/// so clipping creates no ties.
func rankingMap(_ a: Attribution, _ i: Int, height: Int, width: Int) -> Tensor {
    resizeBilinear(a.rawMap(i), height: height, width: width)
}

/// Mean of the trapezoid rule over evenly spaced points on [0, 1].
func areaUnderCurve(_ y: [Double]) -> Double {
    guard y.count > 1 else { return y.first ?? 0 }
    return (y.reduce(0, +) - (y.first! + y.last!) / 2) / Double(y.count - 1)
}

/// Separable Gaussian blur of a `(C, H, W)` image, edges clamped.
func blur(_ image: [Float], _ C: Int, _ H: Int, _ W: Int, sigma: Double) -> [Float] {
    let radius = max(1, Int((3 * sigma).rounded(.up)))
    var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
    let s = kernel.reduce(0, +)
    kernel = kernel.map { $0 / s }
    var tmp = image, out = image
    for c in 0..<C {
        for y in 0..<H { for x in 0..<W {
            var v: Float = 0
            for (j, w) in kernel.enumerated() { v += w * image[(c * H + y) * W + min(max(x + j - radius, 0), W - 1)] }
            tmp[(c * H + y) * W + x] = v
        } }
        for y in 0..<H { for x in 0..<W {
            var v: Float = 0
            for (j, w) in kernel.enumerated() { v += w * tmp[(c * H + min(max(y + j - radius, 0), H - 1)) * W + x] }
            out[(c * H + y) * W + x] = v
        } }
    }
    return out
}

/// A control for faithfulness metrics: a uniformly random map per image (any real method should
/// beat it).
public struct RandomAttribution: AttributionMethod {
    public var seed: UInt64
    public init(seed: UInt64 = 0) { self.seed = seed }
    public var kind: AttributionKind { .random }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        var rng = RandomGenerator(seed: seed)
        let chosen = try explainer.resolveTargets(targets, logits: explainer.logits(input))
        let (N, H, W) = (input.shape[0], input.shape[2], input.shape[3])
        let values = Tensor(shape: [N, H, W], storage: (0..<(N * H * W)).map { _ in rng.nextUnitFloat() })
        return Attribution(method: kind, values: values, targets: chosen, reduction: .none)
    }
}

import Foundation
