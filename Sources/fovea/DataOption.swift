import ArgumentParser
import Fovea
import Foundation

/// `--data`: where a dataset's files are; unset, `DatasetLocation` finds them (the run's recorded
/// folder, `$FOVEA_DATA/NAME`, `./data/NAME`, then the copy bundled with Fovea).
struct DataOption: ParsableArguments {
    @Option(help: "Folder holding the dataset's files (default: the run's own, $FOVEA_DATA/NAME, ./data/NAME, or the bundled copy).")
    var data: String?

    /// Where to look, given what a run recorded.
    func location(recorded: String? = nil) -> DatasetLocation {
        DatasetLocation(explicit: data, recorded: recorded, root: ProcessInfo.processInfo.environment["FOVEA_DATA"])
    }

    /// One split of `dataset`, and the folder it came from.
    func load(_ dataset: DatasetInfo, _ split: DatasetSplit, recorded: String? = nil) throws -> (ImageDataset, URL) {
        let folder = try location(recorded: recorded).directory(for: dataset.name)
        return try (dataset.load(split, from: folder), folder)
    }
}
