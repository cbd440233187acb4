#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A learning-rate schedule: the rate to use at a step (0-based count of updates made so far).
/// Set `optimizer.learningRate = schedule.learningRate(at: step)` before each `step()`.
public protocol LearningRateSchedule: Sendable {
    func learningRate(at step: Int) -> Float
    /// The momentum (SGD) or β₁ (Adam) to use at a step, for schedules that cycle it; nil otherwise.
    func momentum(at step: Int) -> Float?
}

extension LearningRateSchedule {
    public func momentum(at step: Int) -> Float? { nil }
}

/// `torch.optim.lr_scheduler.StepLR`: `base · γ^⌊step / stepSize⌋`.
public struct StepSchedule: LearningRateSchedule {
    public var baseLearningRate: Float, stepSize: Int, gamma: Float
    public init(baseLearningRate: Float, stepSize: Int, gamma: Float = 0.1) {
        self.baseLearningRate = baseLearningRate; self.stepSize = max(1, stepSize); self.gamma = gamma
    }
    public func learningRate(at step: Int) -> Float {
        Float(Double(baseLearningRate) * pow(Double(gamma), Double(step / stepSize)))
    }
}

/// Linear warm-up from 0 to `base` over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`
/// (Goyal et al. 2017 warm-up; Loshchilov & Hutter 2017 cosine):
/// `base·i/w` for i < w, then `min + (base − min)·½(1 + cos(π(i − w)/(T − w)))`.
public struct WarmupCosineSchedule: LearningRateSchedule {
    public var baseLearningRate: Float, warmupSteps: Int, totalSteps: Int, minimumLearningRate: Float
    public init(baseLearningRate: Float, warmupSteps: Int, totalSteps: Int, minimumLearningRate: Float = 0) {
        self.baseLearningRate = baseLearningRate; self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(totalSteps, warmupSteps + 1); self.minimumLearningRate = minimumLearningRate
    }
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return Float(Double(baseLearningRate) * Double(step) / Double(warmupSteps)) }
        let progress = min(1, Double(step - warmupSteps) / Double(totalSteps - warmupSteps))
        let lo = Double(minimumLearningRate), hi = Double(baseLearningRate)
        return Float(lo + (hi - lo) * 0.5 * (1 + cos(Double.pi * progress)))
    }
}

/// The one-cycle policy (Smith & Topin 2019), exactly `torch.optim.lr_scheduler.OneCycleLR` with
/// cosine annealing and two phases: the rate rises from `max/divFactor` to `max` over
/// `pctStart·total − 1` steps, then falls to `max/(divFactor·finalDivFactor)` at `total − 1`;
/// momentum moves inversely between `maxMomentum` and `baseMomentum`.
public struct OneCycleSchedule: LearningRateSchedule {
    public var maxLearningRate: Float, totalSteps: Int, pctStart: Float, divFactor: Float, finalDivFactor: Float
    public var baseMomentum: Float, maxMomentum: Float

    public init(maxLearningRate: Float, totalSteps: Int, pctStart: Float = 0.3, divFactor: Float = 25,
                finalDivFactor: Float = 1e4, baseMomentum: Float = 0.85, maxMomentum: Float = 0.95) {
        self.maxLearningRate = maxLearningRate; self.totalSteps = max(2, totalSteps); self.pctStart = pctStart
        self.divFactor = divFactor; self.finalDivFactor = finalDivFactor
        self.baseMomentum = baseMomentum; self.maxMomentum = maxMomentum
    }

    private func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
    }

    /// (phase end step, start value, end value) pairs for the two phases.
    private func phase(at step: Int, _ warm: (Double, Double), _ cool: (Double, Double)) -> Double {
        let firstEnd = Double(pctStart) * Double(totalSteps) - 1
        let lastEnd = Double(totalSteps - 1)
        let s = Double(step)
        if s <= firstEnd { return anneal(warm.0, warm.1, s / firstEnd) }
        return anneal(cool.0, cool.1, min(1, (s - firstEnd) / (lastEnd - firstEnd)))
    }

    public func learningRate(at step: Int) -> Float {
        let initial = Double(maxLearningRate) / Double(divFactor)
        let minimum = initial / Double(finalDivFactor)
        return Float(phase(at: step, (initial, Double(maxLearningRate)), (Double(maxLearningRate), minimum)))
    }

    public func momentum(at step: Int) -> Float? {
        Float(phase(at: step, (Double(maxMomentum), Double(baseMomentum)), (Double(baseMomentum), Double(maxMomentum))))
    }
}
