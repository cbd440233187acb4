import ArgumentParser
import Fovea
import FoveaImage
import FoveaInterpret
import Foundation

/// `fovea explain RUN image… --method M`: attribution heatmaps for images.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a model's predictions: heatmaps of what each image's class depends on.",
        discussion: "Writes IMAGE.METHOD.png (input, heatmap, overlay, legend), IMAGE.METHOD.heatmap.png and, for several methods, IMAGE.compare.png.")

    @Argument(help: "The run folder (written by `fovea train`), then PNG or JPEG images; with --model, only images.")
    var inputs: [String] = []
    @OptionGroup var model: ModelChoice
    @Option(help: "Attribution method(s), comma-separated, or 'all'.") var method = AttributionKinds([.gradCAM])
    @Option(help: "Layer for CAM methods: a parameter-style name (e.g. features.3, layer4) or 'auto' (the last spatial layer).")
    var layer = LayerChoice.automatic
    @Option(name: .customLong("class"), parsing: .unconditional, help: "Class index to explain (default: each image's predicted class).") var classIndex: Int?
    @Option(help: "Output folder.") var out = "explanations"
    @Option(help: "Colormap.") var colormap = Colormap.Name.turbo
    @Option(parsing: .unconditional, help: "Integrated Gradients: integration steps.") var steps = 50
    @Option(parsing: .unconditional, help: "Integrated Gradients and occlusion: baseline value in the model's normalised input space.") var baseline: Float = 0
    @Option(parsing: .unconditional, help: "SmoothGrad: noisy samples per image.") var samples = 25
    @Option(parsing: .unconditional, help: "Occlusion: window side in pixels.") var window = 4
    @Option(parsing: .unconditional, help: "Occlusion: window stride in pixels.") var stride = 2
    @Option(parsing: .unconditional, help: "Most images per forward/backward pass.") var batchSize = 64
    @Flag(help: "Measure faithfulness instead: deletion and insertion AUC (Petsiuk et al. 2018) on test images.") var evaluate = false
    @OptionGroup var data: DataOption
    @Option(parsing: .unconditional, help: "--evaluate: how many test images.") var count = 200
    @Flag(help: "Time the methods on a random batch (see --batch) against one forward and one forward+backward pass.") var benchmark = false
    @Option(parsing: .unconditional, help: "--benchmark: images per batch.") var batch = 32
    @Option(parsing: .unconditional, help: "--benchmark: timed repeats (median reported).") var repeats = 5
    @OptionGroup var imageLimit: ImageLimitOption

    func validate() throws {
        for (option, value) in [("--steps", steps), ("--samples", samples), ("--window", window), ("--stride", stride),
                                ("--batch-size", batchSize), ("--count", count), ("--batch", batch), ("--repeats", repeats)] where value < 1 {
            throw ValidationError("\(option) must be at least 1, got \(value)")
        }
        if let classIndex, classIndex < 0 { throw ValidationError("--class must be a class index ≥ 0, got \(classIndex)") }
        guard baseline.isFinite else { throw ValidationError("--baseline must be a finite number, got \(baseline)") }
    }

    func run() throws {
        let (explained, images) = try model.open(inputs)
        var settings = AttributionKind.Settings()
        settings.layer = layer; settings.steps = steps; settings.baseline = baseline; settings.samples = samples
        settings.window = window; settings.stride = stride; settings.batchSize = batchSize
        let methods = method.kinds.map { $0.method(settings) }
        if evaluate {
            try runEvaluation(explained, methods: methods)
            return
        }
        if benchmark {
            var rng = RandomGenerator(seed: 0)
            let spec = explained.spec
            let input = Tensor.normal([batch, spec.channels, spec.crop, spec.crop], using: &rng)
            let explainer = Explainer(explained.model)
            for m in methods {
                let t = try AttributionTiming.measure(m, input: input, explainer: explainer, repeats: repeats)
                print("benchmark \(m.name) batch \(batch) \(spec.crop)x\(spec.crop): method \(fmt(1000 * t.method, 1)) ms, forward \(fmt(1000 * t.forward, 1)) ms, forward+backward \(fmt(1000 * t.forwardBackward, 1)) ms")
            }
            return
        }
        guard !images.isEmpty else { throw ValidationError("give at least one PNG or JPEG image to explain") }
        let map = colormap.colormap
        let decoded = try images.map { try Image(contentsOfFile: $0, limits: imageLimit.limits) }
        let explanations = try Explanation.explain(decoded, model: explained, methods: methods, targets: classIndex.map { [$0] })
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (path, e) in zip(images, explanations) {
            let stem = URL(fileURLWithPath: out).appendingPathComponent(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent).path
            print("\(path): '\(e.className)' (class \(e.target), p = \(fmt(100 * Double(e.probability), 1))%)")
            if !e.notes.isEmpty { print("  note: \(e.notes.joined(separator: "; "))") }
            for (i, m) in e.maps.enumerated() {
                var line = "  \(m.title)"
                if let layer = m.layer { line += (self.layer == .automatic ? " on layer \(layer) (auto: the last spatial layer)" : " on layer \(layer)") }
                if let gap = m.completenessGap { line += ", completeness gap Σattr − (f(x) − f(x')) = \(fmt(Double(gap), 5))" }
                print(line + " → \(stem).\(m.method.rawValue).png")
                try e.figure(i, colormap: map).writePNG(to: "\(stem).\(m.method.rawValue).png")
                try e.heatmapImage(i, colormap: map).writePNG(to: "\(stem).\(m.method.rawValue).heatmap.png")
            }
            if e.maps.count > 1 {
                try e.comparisonSheet(colormap: map).writePNG(to: "\(stem).compare.png")
                print("  comparison sheet → \(stem).compare.png")
            }
        }
    }

    /// Deletion / insertion AUC per method on the first `count` test images, with a random control.
    func runEvaluation(_ explained: ExplainedModel, methods: [AttributionMethod]) throws {
        let spec = explained.spec
        guard let info = explained.dataset else { throw ValidationError("--evaluate reads the test images of a run's dataset; use a run folder") }
        let (dataset, _) = try data.load(info, .test, recorded: explained.run?.dataDirectory)
        let n = min(count, dataset.count)
        let plane = dataset.height * dataset.width
        let storage = (0..<n).flatMap { i in dataset.image(at: i).storage.enumerated().map { j, v in
            (v - spec.mean[spec.mean.count == 1 ? 0 : j / plane]) / spec.std[spec.std.count == 1 ? 0 : j / plane] } }
        let input = Tensor(shape: [n, dataset.channels, dataset.height, dataset.width], storage: storage)
        let black = zip(spec.mean, spec.std).map { -$0 / $1 }
        let explainer = Explainer(explained.model)
        let metric = Faithfulness()
        print("Deletion (lower is better) and insertion (higher is better) AUC of the predicted class's probability,")
        print("\(n) \(dataset.channels == 1 ? "" : "colour ")test images, \(metric.steps) steps; deletion paints pixels black, insertion reveals them on a blurred copy.\n")
        print("| method | deletion AUC ↓ | insertion AUC ↑ | seconds |")
        print("|---|---|---|---|")
        for method in methods + [RandomAttribution()] {
            let start = Date()
            var deletion: [Double] = [], insertion: [Double] = []
            for chunk in Swift.stride(from: 0, to: n, by: 50) {
                let part = Tensor(shape: [min(50, n - chunk)] + input.shape.dropFirst(),
                                  storage: Array(input.storage[(chunk * input.count / n)..<(min(chunk + 50, n) * input.count / n)]))
                let r = try metric.evaluate(method, input: part, black: black, explainer: explainer)
                deletion += r.deletion; insertion += r.insertion
            }
            let layer = try ((method as? LayerAttributionMethod)?.layer).map {
                try explainer.resolveLayer($0, for: input)
            }
            let title = method.title + (layer.map { " (\($0))" } ?? "")
            print("| \(title) | \(fmt(mean(deletion), 3)) ± \(fmt(standardError(deletion), 3)) | \(fmt(mean(insertion), 3)) ± \(fmt(standardError(insertion), 3)) | \(fmt(Date().timeIntervalSince(start), 1)) |")
        }
    }
}

/// Which model to open: a run folder (the first argument) or a zoo model with torchvision weights.
struct ModelChoice: ParsableArguments {
    @Option(help: "A zoo model (see `fovea models`) to use instead of a run folder, with --weights.") var model: String?
    @Option(help: "torchvision weights for --model, as safetensors.") var weights: String?
    @Option(parsing: .unconditional, help: "Classes of --model's classifier.") var classes = 1000
    @OptionGroup var weightCheck: WeightCheckOption

    /// The model, and the remaining arguments (images).
    func open(_ arguments: [String]) throws -> (ExplainedModel, [String]) {
        if let model {
            guard let weights else { throw ValidationError("--model \(model) needs --weights FILE.safetensors (torchvision state_dict keys)") }
            guard classes >= 1 else { throw ValidationError("--classes must be at least 1, got \(classes)") }
            let explained = try ExplainedModel.zoo(model, weights: weights, classes: classes, nonFinite: weightCheck.policy)
            weightCheck.show(explained.weightReport)
            return (explained, arguments)
        }
        guard let run = arguments.first else { throw ValidationError("give a run folder (written by `fovea train`) or --model NAME --weights FILE") }
        let explained = try ExplainedModel.run(run, nonFinite: weightCheck.policy)
        weightCheck.show(explained.weightReport)
        return (explained, Array(arguments.dropFirst()))
    }
}

private func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(v.count, 1)) }
private func standardError(_ v: [Double]) -> Double {
    let m = mean(v)
    return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(v.count - 1, 1))).squareRoot() / Double(max(v.count, 1)).squareRoot()
}
