import ArgumentParser
import Fovea
import Foundation

/// `fovea demo`: the quickstart's main job.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train LeNet-5 on the bundled Fashion-MNIST, evaluate it, and write the run folder.")

    @Option(help: "Folder holding the Fashion-MNIST IDX .gz files.")
    var data = "data/fashion-mnist"

    @Option(help: "Training epochs.")
    var epochs = 5

    @Option(help: "Where to write the run.")
    var out = "runs/demo"

    func run() throws {
        var configuration = try TrainingConfiguration.recommended(for: "lenet5")
        configuration.epochs = epochs
        configuration.seed = 1
        try trainAndReport(model: "lenet5", dataset: "fashion-mnist", dataDirectory: data, configuration: configuration, out: out)
    }
}
