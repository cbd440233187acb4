import ArgumentParser
import Fovea

/// `--strict`: refuse weights that hold NaN or infinite values instead of warning about them.
struct WeightCheckOption: ParsableArguments {
    @Flag(help: "Refuse weights holding NaN or infinite values (default: warn and go on).") var strict = false

    var policy: NonFinitePolicy { strict ? .fail : .warn }

    /// Prints the report's warning, if any, to standard error.
    func show(_ report: WeightLoadReport?) {
        if let warning = report?.warning { printError("warning: \(warning)") }
    }
}
