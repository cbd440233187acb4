import ArgumentParser
import Fovea
import FoveaReports
import Foundation

/// `fovea diagnose RUN`: per-layer gradient health of a training run.
struct Diagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show per-layer gradient and activation health of a run; flag vanishing/exploding gradients and dead ReLUs.")

    @Argument(help: "The run folder (written by `fovea train`).") var runFolder: String

    func run() throws {
        let folder = URL(fileURLWithPath: runFolder)
        let report = try HealthReport(runFolder: folder)
        print(report.text)
        let files = try report.writeCharts(to: folder)
        print("\nplots: " + files.joined(separator: ", "))
    }
}
