import FoveaTensor

/// Vanilla gradient saliency: Simonyan, Vedaldi & Zisserman 2014, "Deep Inside Convolutional
/// Networks: Visualising Image Classification Models and Saliency Maps", arXiv:1312.6034.
/// The values are `|∂S_c/∂x|` (Captum's `Saliency` with its default `abs=True`); the heatmap takes
/// the maximum over colour channels (§3.1).
public struct Saliency: AttributionMethod {
    public init() {}
    public var kind: AttributionKind { .saliency }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        let (pass, chosen) = try explainer.gradients(input, targets: targets)
        var g = pass.inputGradient
        for i in g.storage.indices { g.storage[i] = abs(g.storage[i]) }
        return Attribution(method: kind, values: g, targets: chosen, reduction: .maxAbsolute)
    }
}

/// SmoothGrad: Smilkov, Thorat, Kim, Viégas & Wattenberg 2017, "SmoothGrad: removing noise by
/// adding noise", arXiv:1706.03825. The mean gradient over `samples` copies of each image with
/// Gaussian noise of standard deviation `noiseLevel · (max x − min x)` (§3: 10–20 % works well).
/// All noisy copies of the batch run in passes of at most `batchSize` images.
public struct SmoothGrad: AttributionMethod {
    public var samples: Int
    public var noiseLevel: Float
    public var seed: UInt64
    public var batchSize: Int

    public init(samples: Int = 25, noiseLevel: Float = 0.15, seed: UInt64 = 0, batchSize: Int = 64) {
        self.samples = samples; self.noiseLevel = noiseLevel; self.seed = seed; self.batchSize = batchSize
    }
    public var kind: AttributionKind { .smoothGrad }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        guard samples > 0 else { throw ConfigurationError(owner: "smoothgrad", "samples must be positive, got \(samples)") }
        let N = input.shape[0], per = input.count / N
        let chosen = try explainer.resolveTargets(targets, logits: explainer.logits(input))
        var rng = RandomGenerator(seed: seed)
        // Image n's copies are rows n·samples ..< (n+1)·samples.
        var noisy = [Float](); noisy.reserveCapacity(N * samples * per)
        for n in 0..<N {
            let image = input.storage[(n * per)..<((n + 1) * per)]
            let sigma = noiseLevel * (image.max()! - image.min()!)
            for _ in 0..<samples { noisy += image.map { $0 + sigma * rng.nextNormal() } }
        }
        let all = Tensor(shape: [N * samples] + input.shape.dropFirst(), storage: noisy)
        let repeated = chosen.flatMap { Array(repeating: $0, count: samples) }
        var sum = Tensor(shape: input.shape)
        for start in stride(from: 0, to: N * samples, by: batchSize) {
            let end = min(start + batchSize, N * samples)
            let (pass, _) = try explainer.gradients(all.slice(start..<end), targets: Array(repeated[start..<end]))
            for r in start..<end {
                let n = r / samples
                for j in 0..<per { sum.storage[n * per + j] += pass.inputGradient.storage[(r - start) * per + j] / Float(samples) }
            }
        }
        return Attribution(method: kind, values: sum, targets: chosen, reduction: .maxAbsolute)
    }
}

/// Guided backpropagation: Springenberg, Dosovitskiy, Brox & Riedmiller 2015, "Striving for
/// Simplicity: The All Convolutional Net", arXiv:1412.6806 — the input gradient with every ReLU
/// passing back only positive gradients (`GuidedBackpropagation` in FoveaAutograd).
public struct GuidedBackprop: AttributionMethod {
    public init() {}
    public var kind: AttributionKind { .guidedBackprop }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        let (pass, chosen) = try explainer.gradients(input, targets: targets, guided: true)
        return Attribution(method: kind, values: pass.inputGradient, targets: chosen, reduction: .maxAbsolute)
    }
}

/// Guided Grad-CAM (Selvaraju et al. 2017 §3.1): guided backpropagation multiplied pixelwise by the
/// Grad-CAM map upsampled bilinearly to the input, so fine detail is kept only where Grad-CAM
/// localises the class. Two passes: one plain (for the CAM), one guided.
public struct GuidedGradCAM: LayerAttributionMethod {
    public let layer: LayerChoice
    public init(layer: LayerChoice = .automatic) { self.layer = layer }
    public var kind: AttributionKind { .guidedGradCAM }

    public func attribute(_ input: Tensor, targets: [Int]?, explainer: Explainer) throws -> Attribution {
        let cam = try ClassActivationMap(.gradCAM, layer: layer).attribute(input, targets: targets, explainer: explainer)
        let guided = try GuidedBackprop().attribute(input, targets: cam.targets, explainer: explainer).values
        let (N, C, H, W) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        var out = guided
        for n in 0..<N {
            let up = resizeBilinear(cam.rawMap(n), height: H, width: W)
            for c in 0..<C { for p in 0..<(H * W) { out.storage[(n * C + c) * H * W + p] *= up.storage[p] } }
        }
        return Attribution(method: kind, values: out, targets: cam.targets, layer: cam.layer, reduction: .maxAbsolute)
    }
}
