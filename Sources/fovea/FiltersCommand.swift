import ArgumentParser
import Fovea
import FoveaImage
import FoveaInterpret
import Foundation

/// `fovea filters RUN`: the first convolution's filters as an image grid.
struct Filters: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Draw the first convolution layer's filters as an image grid.")

    @Argument(help: "The run folder (omit with --model).") var inputs: [String] = []
    @OptionGroup var model: ModelChoice
    @Option(help: "Output PNG.") var out = "filters.png"

    func run() throws {
        let (explained, _) = try model.open(inputs)
        let grid = try Explainer(explained.model).firstLayerFilters()
        try grid.writePNG(to: out)
        print("\(grid.title) → \(out)")
    }
}
