import Foundation

/// Draws a run folder's pictures after each epoch. FoveaTrain writes the metrics, the evaluation,
/// `summary.md` and the checkpoints itself and holds no image code; a writer set as
/// `RunFolder.reportWriter` adds pictures (`FoveaReports.RunCharts` draws the loss, accuracy and
/// confusion charts `fovea train` writes). The trainer calls it off the training thread, one epoch
/// at a time, in order.
public protocol RunReportWriter: Sendable {
    /// Writes pictures of `report` into `folder`, replacing those of earlier epochs. Returns a note
    /// for the user (say, that the PNGs were skipped), or nil.
    func write(_ report: RunReport, to folder: URL) throws -> String?
}

/// What a run folder's report shows: the epochs so far and the latest test evaluation.
public struct RunReport: Sendable {
    /// The run's `config.json`.
    public var configuration: RunConfiguration
    /// Every epoch so far, oldest first.
    public var history: [EpochMetrics]
    /// The test evaluation after the newest epoch.
    public var evaluation: Evaluation
    /// A name for each class index.
    public var classNames: [String]

    /// A report of `history` and `evaluation`.
    public init(configuration: RunConfiguration, history: [EpochMetrics], evaluation: Evaluation, classNames: [String]) {
        self.configuration = configuration
        self.history = history
        self.evaluation = evaluation
        self.classNames = classNames
    }
}
