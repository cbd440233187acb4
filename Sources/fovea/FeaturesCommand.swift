import ArgumentParser
import Fovea
import FoveaImage
import FoveaInterpret
import Foundation

/// `fovea features RUN image --layer NAME`: one image's feature maps; with `--channel`, the test
/// images that most activate that channel.
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a layer's feature maps for an image, or (--channel) the dataset images that most activate one channel.")

    @Argument(help: "The run folder (omit with --model), then a PNG or JPEG image.") var inputs: [String] = []
    @OptionGroup var model: ModelChoice
    @Option(help: "The layer, by parameter-style name (e.g. features.3).") var layer: String
    @Option(parsing: .unconditional, help: "A channel of the layer: find the test images that activate it most.") var channel: Int?
    @Option(parsing: .unconditional, help: "--channel: how many images to show.") var top = 16
    @OptionGroup var data: DataOption
    @Option(help: "Output PNG.") var out = "features.png"
    @OptionGroup var imageLimit: ImageLimitOption

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
        if let channel, channel < 0 { throw ValidationError("--channel must be ≥ 0, got \(channel)") }
    }

    func run() throws {
        let (explained, images) = try model.open(inputs)
        let explainer = Explainer(explained.model)
        if let channel {
            guard let info = explained.dataset else { throw ValidationError("--channel searches the test images of a run's dataset; use a run folder") }
            let (dataset, _) = try data.load(info, .test, recorded: explained.run?.dataDirectory)
            let found = try explainer.topActivating(dataset, spec: explained.spec, layer: layer, channel: channel, top: top)
            let grid = ImageGrid(images: found.map { Image(tensor: dataset.image(at: $0.index)) },
                                 labels: found.map { "\(dataset.classNames[dataset.labels[$0.index]]) \(String(format: "%.2f", $0.activation))" },
                                 columns: min(found.count, 8), tileSize: 100,
                                 title: "Test images that most activate \(layer) channel \(channel) (label: class, peak activation)")
            try grid.writePNG(to: out)
            print("\(grid.title) → \(out)")
            return
        }
        guard let path = images.first else { throw ValidationError("give an image, or --channel K to search the test set") }
        let (batch, notes) = explained.spec.batch([try Image(contentsOfFile: path, limits: imageLimit.limits)])
        if !notes[0].isEmpty { print("note: \(notes[0].joined(separator: "; "))") }
        let grid = try explainer.featureMaps(batch, layer: layer)
        try grid.writePNG(to: out)
        print("\(grid.title) → \(out)")
    }
}
