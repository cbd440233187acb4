import Foundation

/// A linear axis with "nice" tick values (steps of 1, 2 or 5 × 10ⁿ), after Paul Heckbert,
/// "Nice Numbers for Graph Labels", Graphics Gems (1990).
struct AxisScale: Equatable {
    /// The axis range, widened to whole steps.
    var lower: Double
    var upper: Double
    /// The distance between ticks.
    var step: Double

    /// A scale covering `minimum…maximum` with about `tickCount` ticks. `integerSteps` keeps the
    /// step ≥ 1 (for epochs and steps, which have no halves). A `tight` scale ends exactly at the
    /// data (ticks fall inside it); otherwise the ends are widened to whole steps.
    init(covering minimum: Double, _ maximum: Double, tickCount: Int = 6, integerSteps: Bool = false, tight: Bool = false) {
        var low = minimum, high = maximum
        if !(low.isFinite && high.isFinite) { (low, high) = (0, 1) }
        if low == high {  // a flat series still needs a visible range around it
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        var step = niceNumber((high - low) / Double(max(tickCount - 1, 1)))
        if integerSteps { step = max(step, 1) }
        self.step = step
        // A tight scale keeps a 3% margin, so end markers are not cut by the frame.
        let margin = tight ? 0.03 * (high - low) : 0
        self.lower = tight ? low - margin : (low / step).rounded(.down) * step
        self.upper = tight ? high + margin : (high / step).rounded(.up) * step
    }

    /// The multiples of `step` from `lower` to `upper`.
    var ticks: [Double] {
        let first = (lower / step - 1e-9).rounded(.up), last = (upper / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        return (Int(first)...Int(last)).map { Double($0) * step }
    }

    /// `value` printed with as many decimals as the step needs.
    func label(_ value: Double) -> String {
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// Where `value` falls between `start` (at `lower`) and `end` (at `upper`).
    func position(of value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }
}

/// Heckbert's nice number nearest `x`: 1, 2, 5 or 10 × 10ⁿ.
private func niceNumber(_ x: Double) -> Double {
    let exponent = log10(x).rounded(.down)
    let fraction = x / pow(10, exponent)
    let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    return nice * pow(10, exponent)
}
