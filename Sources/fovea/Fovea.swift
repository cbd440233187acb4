import ArgumentParser
import Fovea

@main
struct FoveaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fovea",
        abstract: "Fovea: train, understand, explain and ship convolutional neural networks.",
        subcommands: [Demo.self, Train.self, Eval.self, Predict.self, Explain.self, Filters.self, Features.self, Diagnose.self,
                      Models.self, Summary.self, Compare.self, Bench.self])

    /// Configures the kernels from the environment, then parses and runs the command.
    static func main() {
        KernelEnvironment.configure()
        main(nil)
    }
}
