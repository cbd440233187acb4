import ArgumentParser
import Fovea
import Foundation

/// `fovea demo`: the quickstart's main job.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train LeNet-5 on the bundled Fashion-MNIST, evaluate it, and write the run folder.")

    @OptionGroup var data: DataOption

    @Option(parsing: .unconditional, help: "Training epochs.")
    var epochs = 5

    @Option(help: "Where to write the run. A finished run of `fovea demo` there is replaced; any other files are refused unless --overwrite is given.")
    var out = "runs/demo"

    @Flag(help: "Replace the run in --out even when it is not a finished demo run (only a run folder's files are deleted).")
    var overwrite = false

    // For quick tests of the command itself.
    @Option(help: .hidden) var trainLimit: Int?

    func run() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        if let trainLimit, trainLimit <= 0 { throw ValidationError("--train-limit must be positive, got \(trainLimit)") }
        var configuration = try TrainingConfiguration.recommended(for: "lenet5")
        configuration.epochs = epochs
        configuration.seed = 1
        let state = RunFolder.state(at: out)
        var mode = RunFolderMode.new
        switch state {
        case .empty:
            break
        case .finished(let saved) where isDemoRun(saved):
            // Its own finished run: rerunning the quickstart replaces it (same seed, same result).
            print("replacing the finished demo run in \(out)")
            mode = .overwrite
        case _ where overwrite:
            mode = .overwrite
        default:
            throw ValidationError("\(out): holds \(state), not a finished `fovea demo` run; pass --overwrite to replace it, or choose another --out")
        }
        try trainAndReport(model: "lenet5", dataset: .fashionMNIST, data: data, configuration: configuration, out: out,
                           mode: mode, trainLimit: trainLimit, command: .demo)
    }

    /// Whether `saved` is a run of `fovea demo`: recorded so, or (runs from before the command was
    /// recorded) LeNet-5 on Fashion-MNIST with exactly the demo's settings, seed 1 included.
    func isDemoRun(_ saved: RunConfiguration) -> Bool {
        if let command = saved.command { return command == .demo }
        var demo = TrainingConfiguration.recommended(for: .plain)  // LeNet-5's recipe
        demo.epochs = saved.training.epochs
        demo.seed = 1
        return saved.model == "lenet5" && saved.dataset == "fashion-mnist" && saved.training == demo
    }
}
