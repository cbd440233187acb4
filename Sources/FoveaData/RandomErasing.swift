import FoveaTensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random erasing: with some probability, overwrite a random rectangle of the (normalised) image.
///
/// Zhong, Zheng, Kang, Li & Yang, "Random Erasing Data Augmentation", arXiv:1708.04896 (2017).
/// The defaults are torchvision's `RandomErasing` (p 0.5, scale 0.02…0.33, ratio 0.3…3.3, value 0),
/// not the paper's (area up to 0.4, random values). The rectangle search follows torchvision: up
/// to 10 tries to draw an area fraction uniformly from `scale` and an aspect ratio log-uniformly
/// from `ratio`, keeping the first whose height and width are smaller than the image's; if none
/// fits, the image is left unchanged. The rectangle covers all channels.
public struct RandomErasing: Sendable, Equatable {
    /// What erased pixels become.
    public enum Fill: Sendable, Equatable {
        /// One value for every erased pixel (0 is the dataset mean after normalisation).
        case constant(Float)
        /// A standard-normal draw per erased pixel (torchvision's `value="random"`).
        case random
    }

    /// The probability of erasing a given sample.
    public var probability: Float
    /// The erased area as a fraction of the image's, drawn uniformly from this range.
    public var scale: ClosedRange<Float>
    /// The rectangle's aspect ratio (height / width), drawn log-uniformly from this range.
    public var ratio: ClosedRange<Float>
    /// What erased pixels become.
    public var fill: Fill

    /// Random erasing with torchvision's defaults unless given.
    public init(probability: Float = 0.5, scale: ClosedRange<Float> = 0.02...0.33,
                ratio: ClosedRange<Float> = 0.3...3.3, fill: Fill = .constant(0)) {
        self.probability = probability
        self.scale = scale
        self.ratio = ratio
        self.fill = fill
    }

    func validate() throws {
        guard (0...1).contains(probability) else { throw configurationError("erasing probability must be in [0, 1], got \(probability)") }
        guard scale.lowerBound >= 0, scale.upperBound <= 1 else { throw configurationError("erasing scale must lie in [0, 1], got \(scale)") }
        guard ratio.lowerBound > 0 else { throw configurationError("erasing ratio must be positive, got \(ratio)") }
    }

    /// The rectangle `(top, left, height, width)` to erase in an H × W image, or nil to leave it be.
    func rectangle(height H: Int, width W: Int, using rng: inout RandomGenerator) -> (top: Int, left: Int, height: Int, width: Int)? {
        guard rng.nextUnitFloat() < probability else { return nil }
        let area = Double(H * W)
        let logLow = log(Double(ratio.lowerBound)), logHigh = log(Double(ratio.upperBound))
        for _ in 0..<10 {
            let erased = area * Double(rng.nextUniform(scale.lowerBound, scale.upperBound))
            let aspect = exp(logLow + (logHigh - logLow) * Double(rng.nextUnitFloat()))
            // Python's round() rounds halves to even; match it.
            let h = Int((erased * aspect).squareRoot().rounded(.toNearestOrEven))
            let w = Int((erased / aspect).squareRoot().rounded(.toNearestOrEven))
            guard h < H, w < W else { continue }
            let top = rng.nextIndex(below: H - h + 1)
            let left = rng.nextIndex(below: W - w + 1)
            return (top, left, h, w)
        }
        return nil
    }

    /// Erases (maybe) in place in one `(C, H, W)` image.
    func apply(to image: UnsafeMutableBufferPointer<Float>, channels C: Int, height H: Int, width W: Int,
               using rng: inout RandomGenerator) {
        guard let r = rectangle(height: H, width: W, using: &rng) else { return }
        for c in 0..<C {
            for y in r.top..<r.top + r.height {
                let row = (c * H + y) * W
                for x in r.left..<r.left + r.width {
                    switch fill {
                    case .constant(let value): image[row + x] = value
                    case .random: image[row + x] = rng.nextNormal()
                    }
                }
            }
        }
    }
}

func configurationError(_ message: String) -> ConfigurationError { ConfigurationError(owner: "DataLoader", message) }
