import Foundation

/// Which `fovea` command started a run. `fovea demo` may replace a finished run it wrote itself.
public enum RunCommand: String, Codable, Sendable {
    case train, demo
}

/// What `config.json` holds: everything that decides a run's weights, so `--resume` can check it.
public struct RunConfiguration: Codable, Equatable, Sendable {
    /// The registry name of the model (`fovea models`).
    public var model: String
    /// The dataset's name (`fashion-mnist`, `mnist`).
    public var dataset: String
    /// The hyperparameters.
    public var training: TrainingConfiguration
    /// Training used only the first `trainLimit` images of the training split; nil: all of them.
    public var trainLimit: Int?
    /// The command that started the run (nil in runs written before it was recorded).
    public var command: RunCommand?
    /// The folder the dataset was read from (an absolute path; nil in runs written before it was
    /// recorded). `eval` and `explain --evaluate` look there first. Not compared on resume.
    public var dataDirectory: String?

    public init(model: String, dataset: String, training: TrainingConfiguration, trainLimit: Int? = nil, command: RunCommand? = nil,
                dataDirectory: String? = nil) {
        self.model = model; self.dataset = dataset; self.training = training
        self.trainLimit = trainLimit; self.command = command; self.dataDirectory = dataDirectory
    }
}

/// One setting in which a resumed run differs from its saved run, named by its `fovea train` option.
public struct SettingDifference: Equatable, Sendable, CustomStringConvertible {
    /// The option (`--lr`), or the field name for settings without one (`momentum`).
    public var option: String
    /// The saved run's value, as text.
    public var saved: String
    /// The value given now, as text.
    public var given: String
    public var description: String { "\(option) saved \(saved), given \(given)" }
}

extension RunConfiguration {
    /// Each setting that decides the weights, as (`fovea train` option, its value as text). The
    /// option names are data for messages: keep them in step with `fovea train --help`.
    static let settings: [(option: String, value: @Sendable (RunConfiguration) -> String)] = [
        ("--model", { $0.model }),
        ("--dataset", { $0.dataset }),
        ("--train-limit", { $0.trainLimit.map(String.init) ?? "none" }),
        ("--epochs", { "\($0.training.epochs)" }),
        ("--batch-size", { "\($0.training.batchSize)" }),
        ("--optimizer", { $0.training.optimizer.rawValue }),
        ("--lr", { "\($0.training.learningRate)" }),
        ("momentum", { "\($0.training.momentum)" }),
        ("nesterov", { "\($0.training.nesterov)" }),
        ("--weight-decay", { "\($0.training.weightDecay)" }),
        ("--schedule", { $0.training.schedule.rawValue }),
        ("--label-smoothing", { "\($0.training.labelSmoothing)" }),
        ("--augment", { $0.training.augmentation.rawValue }),
        ("--seed", { "\($0.training.seed)" }),
    ]

    /// The settings in which `given` differs from this (saved) configuration; empty when a resume
    /// with `given` continues this run exactly. `command` is not compared.
    public func differences(to given: RunConfiguration) -> [SettingDifference] {
        var result = Self.settings.compactMap { option, value in
            value(self) == value(given) ? nil : SettingDifference(option: option, saved: value(self), given: value(given))
        }
        // A setting added to TrainingConfiguration but not to `settings` still counts.
        if result.isEmpty && training != given.training {
            result.append(SettingDifference(option: "settings", saved: "\(training)", given: "\(given.training)"))
        }
        return result
    }
}

/// `--resume` was given options that differ from the saved run's.
public struct ResumeMismatchError: Error, CustomStringConvertible, Equatable {
    /// The run folder, as the user named it.
    public var folder: String
    /// Each setting that differs, in option order.
    public var differences: [SettingDifference]
    public init(folder: String, differences: [SettingDifference]) { self.folder = folder; self.differences = differences }
    public var description: String {
        "\(folder): --resume needs the same options as the saved run: " + differences.map(\.description).joined(separator: "; ")
    }
}
