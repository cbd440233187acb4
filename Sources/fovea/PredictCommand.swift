import ArgumentParser
import Fovea
import FoveaImage
import FoveaReports
import Foundation

/// `fovea predict RUN image…`: top-k classes of images with a trained run.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify PNG or JPEG images with a trained run.",
        discussion: "An image that cannot be read is reported and skipped; the exit status is then 1.")

    @Argument(help: "The run folder (written by `fovea train`).") var runFolder: String
    @Argument(help: "PNG or JPEG files, any size or colour.") var images: [String]
    @Option(parsing: .unconditional, help: "How many classes to show per image.") var top = 3
    @OptionGroup var imageLimit: ImageLimitOption
    @OptionGroup var weights: WeightCheckOption

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
        guard !images.isEmpty else { throw ValidationError("give at least one PNG or JPEG image") }
    }

    func run() throws {
        let config = try RunFolder.readConfiguration(at: runFolder)
        let dataset = try DatasetInfo.named(config.dataset)
        let trained = try TrainedRun(path: runFolder, classes: dataset.classNames.count, inputChannels: dataset.channels,
                                     nonFinite: weights.policy)
        weights.show(trained.weightReport)
        var failures = 0
        var readable: [(path: String, image: Image)] = []
        for path in images {
            do { readable.append((path, try Image(contentsOfFile: path, limits: imageLimit.limits))) } catch {
                failures += 1
                printError("skipped: \(oneLine(error))")
            }
        }
        let predictions = readable.isEmpty ? [] : try trained.predict(readable.map(\.image), dataset: dataset, top: top)
        for ((path, _), p) in zip(readable, predictions) {
            print(path)
            if !p.notes.isEmpty { print("  note: \(p.notes.joined(separator: "; ")) (\(dataset.name) images are \(dataset.appearance))") }
            for (name, probability) in p.top { print("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(fmt(100 * Double(probability), 1))%") }
        }
        if failures > 0 {
            printError("\(failures) of \(images.count) images could not be read")
            throw ExitCode(1)
        }
    }
}
