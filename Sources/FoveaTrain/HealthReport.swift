import Foundation

/// Reads a run's `health.jsonl` and flags the layers whose numbers show trouble:
/// vanishing gradients (the earliest layers get far smaller gradients than the last),
/// exploding gradients (large norms or norms growing by orders of magnitude), too-large updates,
/// and dead ReLUs.
public struct HealthReport: Sendable {
    /// One finding, with the numbers that show it.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable { case vanishing, exploding, largeUpdates = "large updates", deadReLU = "dead ReLUs" }
        public var kind: Kind
        public var layer: String
        public var evidence: String
        public var description: String { "\(kind.rawValue.uppercased()) at \(layer): \(evidence)" }
    }

    public let records: [LayerHealth]
    public let findings: [Finding]

    /// Layers in depth order.
    public var layers: [String] {
        Dictionary(grouping: records, by: \.depth).sorted { $0.key < $1.key }.compactMap { $0.value.first?.layer }
    }

    /// Loads `health.jsonl` from a run folder (finished, still training or stopped) and analyses it.
    public init(runFolder: URL) throws {
        guard let records = try Self.readRecords(from: runFolder) else {
            throw CheckpointError(file: runFolder.appendingPathComponent("health.jsonl").path,
                                  "cannot be read; train with --health-every N to record training health (a run writes it after each epoch)")
        }
        self.init(records: records)
    }

    /// The records of a run folder's `health.jsonl`; nil when the file does not exist.
    public static func readRecords(from runFolder: URL) throws -> [LayerHealth]? {
        let url = runFolder.appendingPathComponent("health.jsonl")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CheckpointError(file: url.path, "cannot be read as UTF-8 text")
        }
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").enumerated().map { i, line in
            do { return try decoder.decode(LayerHealth.self, from: Data(line.utf8)) } catch {
                throw CheckpointError(file: url.path, "line \(i + 1) is not a health record (\(error))")
            }
        }
    }

    public init(records: [LayerHealth]) {
        self.records = records
        var findings: [Finding] = []
        let byStep = Dictionary(grouping: records, by: \.step)
        let steps = byStep.keys.sorted()
        // Vanishing: median over steps of (first layer's gradient norm / last layer's), per weight norm.
        let ratios: [Double] = steps.compactMap { s in
            let layers = byStep[s, default: []].sorted { $0.depth < $1.depth }
            guard let first = layers.first, let last = layers.last, first.depth != last.depth, last.gradientNorm > 0 else { return nil }
            return (first.gradientNorm / max(first.weightNorm, 1e-12)) / (last.gradientNorm / max(last.weightNorm, 1e-12))
        }
        if let median = ratios.sorted().dropFirst(ratios.count / 2).first, median < 1e-3,
           let firstLayer = records.min(by: { $0.depth < $1.depth })?.layer,
           let lastLayer = records.max(by: { $0.depth < $1.depth })?.layer {
            findings.append(Finding(kind: .vanishing, layer: firstLayer,
                                    evidence: String(format: "relative gradient (‖g‖/‖W‖) is %.1e of %@'s (median over %d steps); its weights barely train", median, lastLayer, ratios.count)))
        }
        for (layer, rows) in Dictionary(grouping: records, by: \.layer).sorted(by: { $0.value[0].depth < $1.value[0].depth }) {
            let series = rows.sorted { $0.step < $1.step }
            let norms = series.map(\.gradientNorm)
            if let peak = norms.max(), peak > 1e3 || (norms.first.map { $0 > 0 && peak / $0 > 1e3 } ?? false) {
                findings.append(Finding(kind: .exploding, layer: layer,
                                        evidence: String(format: "gradient norm reached %.3g (first recorded %.3g)", peak, norms.first ?? 0)))
            }
            let updates = series.map(\.updateRatio).filter { $0 > 0 }
            if let median = updates.sorted().dropFirst(updates.count / 2).first, median > 0.05 {
                findings.append(Finding(kind: .largeUpdates, layer: layer,
                                        evidence: String(format: "median update/weight ratio %.3g (≈1e-3 is typical); lower the learning rate", median)))
            }
            if let dead = series.last?.deadFraction, dead >= 0.5 {
                findings.append(Finding(kind: .deadReLU, layer: layer,
                                        evidence: String(format: "%.0f%% of the channels after it output zero for a whole batch at step %d", 100 * dead, series.last!.step)))
            }
        }
        self.findings = findings
    }

    /// A table of the last recorded step, one line per layer, then the findings.
    public var text: String {
        guard let lastStep = records.map(\.step).max() else { return "no health records" }
        var lines = ["training health at step \(lastStep):",
                     "layer".padding(toLength: 22, withPad: " ", startingAt: 0) + "   grad norm  weight norm  update/weight   act mean    act std  dead"]
        for r in records.filter({ $0.step == lastStep }).sorted(by: { $0.depth < $1.depth }) {
            lines.append(r.layer.padding(toLength: 22, withPad: " ", startingAt: 0)
                         + String(format: " %11.3e %12.3e %14.3e %10.3f %10.3f  %@", r.gradientNorm, r.weightNorm, r.updateRatio,
                                  r.activationMean, r.activationStd, r.deadFraction.map { String(format: "%3.0f%%", 100 * $0) } ?? "  -"))
        }
        lines.append(findings.isEmpty ? "no vanishing or exploding gradients, oversized updates or dead ReLUs found"
                                      : findings.map(\.description).joined(separator: "\n"))
        return lines.joined(separator: "\n")
    }
}
