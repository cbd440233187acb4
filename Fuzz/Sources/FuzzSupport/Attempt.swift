import Foundation

/// Whether harnesses print each outcome: set `FOVEA_FUZZ_VERBOSE=1` when replaying a few inputs to
/// see what the parser made of them (a seed that throws reaches less of the parser than intended).
private let verbose = ProcessInfo.processInfo.environment["FOVEA_FUZZ_VERBOSE"] == "1"

/// Runs one parse. A thrown error is the expected outcome for bad input and is ignored; a crash,
/// leak or hang is what the fuzzer looks for.
public func attempt<T>(_ what: String, _ parse: () throws -> T) {
    do {
        let value = try parse()
        if verbose { print("\(what): parsed \(type(of: value))") }
    } catch {
        if verbose { print("\(what): threw \(error)") }
    }
}
