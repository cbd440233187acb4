import Fovea
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows training progress: a live bar on a terminal, plain log lines otherwise.
struct ProgressPrinter {
    let isTerminal = isatty(STDOUT_FILENO) != 0
    let epochs: Int
    let batchSize: Int
    private var smoothedRate = 0.0
    private var smoothedLoss = 0.0
    private var smoothedAccuracy = 0.0

    init(epochs: Int, batchSize: Int) { self.epochs = epochs; self.batchSize = batchSize }

    mutating func handle(_ event: TrainingEvent) {
        switch event {
        case .step(let s):
            let a = s.batch == 0 ? 1.0 : 0.05
            smoothedRate = s.batch == 0 ? s.imagesPerSecond : (1 - a) * smoothedRate + a * s.imagesPerSecond
            smoothedLoss = (1 - a) * smoothedLoss + a * s.loss
            smoothedAccuracy = (1 - a) * smoothedAccuracy + a * s.accuracy
            let done = s.batch + 1
            if isTerminal {
                let width = 24, filled = width * done / s.batchesPerEpoch
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                let remaining = Double(s.batchesPerEpoch - done) * Double(batchSize) / max(smoothedRate, 1)
                print("\r\u{1B}[2Kepoch \(s.epoch + 1)/\(epochs) \(bar) \(done)/\(s.batchesPerEpoch)  loss \(fmt(smoothedLoss, 4))  acc \(fmt(100 * smoothedAccuracy, 1))%  \(Int(smoothedRate)) img/s  ETA \(Int(remaining))s",
                      terminator: "")
                fflush(nil)
            } else if done % max(1, s.batchesPerEpoch / 5) == 0 || done == s.batchesPerEpoch {
                print("epoch \(s.epoch + 1)/\(epochs) batch \(done)/\(s.batchesPerEpoch) loss \(fmt(smoothedLoss, 4)) acc \(fmt(100 * smoothedAccuracy, 1))% \(Int(smoothedRate)) img/s")
            }
            fflush(nil)
        case .epoch(let e):
            if isTerminal { print("\r\u{1B}[2K", terminator: "") }
            print("epoch \(e.epoch + 1)/\(epochs): train loss \(fmt(e.trainLoss, 4)) acc \(fmt(100 * e.trainAccuracy, 2))% | test loss \(fmt(e.testLoss, 4)) acc \(fmt(100 * e.testAccuracy, 2))% | \(fmt(e.seconds, 1)) s, \(Int(e.imagesPerSecond)) img/s")
            fflush(nil)
        }
    }
}

/// `x` with `digits` decimals.
func fmt(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
