import Foundation
import FoveaTensor

/// Wall-clock cost of a method against the passes it is built from, for `fovea explain --benchmark`.
public struct AttributionTiming: Sendable {
    /// Median seconds of the method over the repeats.
    public var method: Double
    /// Median seconds of one forward pass without gradients.
    public var forward: Double
    /// Median seconds of one forward and one backward pass (`Explainer.gradients`).
    public var forwardBackward: Double

    /// Times `method` on `input` (first run discarded as warm-up), with the plain passes for scale.
    public static func measure(_ method: AttributionMethod, input: Tensor, explainer: Explainer, repeats: Int = 5) throws -> AttributionTiming {
        func median(_ body: () throws -> Void) rethrows -> Double {
            try body()
            var times: [Double] = []
            for _ in 0..<max(repeats, 1) {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.sorted()[times.count / 2]
        }
        let targets = [0]
        return AttributionTiming(
            method: try median { _ = try method.attribute(input, targets: targets, explainer: explainer) },
            forward: try median { _ = try explainer.logits(input, batchSize: input.shape[0]) },
            forwardBackward: try median { _ = try explainer.gradients(input, targets: targets) })
    }
}
