import ArgumentParser
import Fovea
import FoveaImage
import Foundation

/// `fovea predict RUN image…`: top-k classes of images with a trained run.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Classify PNG or JPEG images with a trained run.")

    @Argument(help: "The run folder (written by `fovea train`).") var runFolder: String
    @Argument(help: "PNG or JPEG files, any size or colour.") var images: [String]
    @Option(help: "How many classes to show per image.") var top = 3
    @Option(help: "Most pixels (width × height) a decoded image may take, checked from its header first. Images are read at most \(ImageLimits.workingSide) px on the longer side; interlaced PNGs and progressive JPEGs must fit at full size.")
    var maxImagePixels = ImageLimits.defaultMaxPixels

    func run() throws {
        let config = try RunConfigurationFile.read(runFolder)
        let dataset = try DatasetInfo.named(config.dataset)
        let trained = try TrainedRun(path: runFolder, classes: dataset.classNames.count, inputChannels: dataset.channels)
        let decoded = try images.map { try Image(contentsOfFile: $0, limits: .working(maxPixels: maxImagePixels)) }
        let predictions = try trained.predict(decoded, dataset: dataset, top: top)
        for (path, p) in zip(images, predictions) {
            print(path)
            if !p.notes.isEmpty { print("  note: \(p.notes.joined(separator: "; ")) (\(dataset.name) images are \(dataset.appearance))") }
            for (name, probability) in p.top { print("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(fmt(100 * Double(probability), 1))%") }
        }
    }
}
