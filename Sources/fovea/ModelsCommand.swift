import ArgumentParser
import Fovea

/// `fovea models`: the architectures Fovea can build by name.
struct Models: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the models constructible by name.")

    func run() throws {
        let width = (ModelRegistry.names.map(\.count).max() ?? 0) + 2
        for entry in ModelRegistry.entries {
            print(entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + entry.summary)
        }
    }
}
