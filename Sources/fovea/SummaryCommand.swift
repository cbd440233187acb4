import ArgumentParser
import Fovea

/// `fovea summary`: a model's layers with shapes, parameters, MACs, receptive fields and memory.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a model's layers: output shape, parameters, MACs, receptive field, jump and activation memory.")

    @Option(help: "Model name (see `fovea models`).") var model = "resnet18"
    @Option(help: "Input C x H x W.") var input = "3x224x224"
    @Option(help: "Images per batch (MACs and memory scale with it).") var batch = 1
    @Option(help: "Output classes.") var classes = 1000
    @Option(help: "Width multiplier (models that have one).") var width: Double = 1

    func run() throws {
        let shape = try parseInputShape(input)
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        var rng = RandomGenerator(seed: 0)
        let network = try ModelRegistry.make(model, options: ModelOptions(classes: classes, inputChannels: shape[0], widthMultiplier: width),
                                             using: &rng)
        print(try ModelSummary(model: network, input: [batch] + shape).table())
    }
}

/// `3x224x224` → `[3, 224, 224]`, or an error that shows the expected form.
func parseInputShape(_ text: String) throws -> [Int] {
    let parts = text.split(separator: "x").map { Int($0) }
    guard parts.count == 3, let c = parts[0], let h = parts[1], let w = parts[2], c > 0, h > 0, w > 0 else {
        throw ValidationError("--input must be C x H x W with positive sizes, like 3x224x224 (got '\(text)')")
    }
    return [c, h, w]
}
