import ArgumentParser
import Fovea

@main
struct FoveaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fovea",
        abstract: "Fovea: train, understand, explain and ship convolutional neural networks.",
        subcommands: [Demo.self, Train.self, Eval.self, Predict.self, Explain.self, Filters.self, Features.self, Diagnose.self,
                      Models.self, Summary.self, Compare.self, Bench.self])

    /// Configures the kernels from the environment, then parses and runs the command; errors other
    /// than the argument parser's own (help, usage, validation, exit codes) are reported as one line.
    static func main() {
        KernelEnvironment.configure()
        var command: ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        do { try command.run() } catch {
            let fromParser = error is ValidationError || error is ExitCode || error is CleanExit
                || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
            exit(withError: fromParser ? error : CommandFailure(description: oneLine(error)))
        }
    }
}
