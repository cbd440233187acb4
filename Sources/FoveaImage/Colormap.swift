/// A 256-entry colour table mapping values in [0, 1] to colours, for heatmaps.
///
/// Both tables are computed here from published polynomial fits (evaluated at `i / 255`) rather
/// than copied: the fits stay within a few byte levels of the reference tables, which is below
/// what a heatmap reader can see.
public struct Colormap: Sendable {
    /// The map's name (`"viridis"`, `"turbo"`).
    public let name: String
    /// The colours for values `0/255, 1/255, …, 255/255`.
    public let table: [Color]

    /// A colormap over an explicit table of 256 colours.
    public init(name: String, table: [Color]) {
        precondition(table.count == 256, "a colormap table has 256 entries, got \(table.count)")
        self.name = name
        self.table = table
    }

    /// The colour of `value`, clamped to [0, 1] and rounded to the nearest entry; NaN maps to 0.
    public func color(at value: Float) -> Color {
        guard !value.isNaN else { return table[0] }
        return table[Int((min(max(value, 0), 1) * 255).rounded())]
    }

    /// Viridis (van der Walt & Smith, matplotlib 2.0): perceptually uniform, readable in grey and
    /// by colour-blind readers. Degree-6 polynomial fit per channel by Matt Zucker
    /// ("Viridis approximation", shadertoy.com/view/WlfXRN, 2020); coefficients `c0…c6` (constant first).
    public static let viridis: Colormap = {
        let r = [0.2777273272234177, 0.1050930431085774, -0.3308618287255563, -4.634230498983486,
                 6.228269936347081, 4.776384997670288, -5.435455855934631]
        let g = [0.005407344544966578, 1.404613529898575, 0.214847559468213, -5.799100973351585,
                 14.17993336680509, -13.74514537774601, 4.645852612178535]
        let b = [0.3340998053353061, 1.384590162594685, 0.09509516302823659, -19.33244095627987,
                 56.69055260068105, -65.35303263337234, 26.3124352495832]
        return Colormap(name: "viridis", table: polynomialTable(red: r, green: g, blue: b))
    }()

    /// Turbo (Anton Mikhailov, Google AI Blog, "Turbo, An Improved Rainbow Colormap for
    /// Visualization", 2019): a rainbow with smooth lightness, good for saliency and depth maps.
    /// Degree-5 polynomial fit per channel by Ruofei Du, published with the colormap (Apache-2.0);
    /// coefficients constant first. The fit is close except over the first few entries, which it
    /// renders darker (#23171b at 0 against the reference #30123b).
    public static let turbo: Colormap = {
        let r = [0.13572138, 4.61539260, -42.66032258, 132.13108234, -152.94239396, 59.28637943]
        let g = [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604]
        let b = [0.10667330, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973]
        return Colormap(name: "turbo", table: polynomialTable(red: r, green: g, blue: b))
    }()
}

/// 256 colours from per-channel polynomials in `t = i / 255` (coefficients constant first),
/// evaluated by Horner's rule and clamped to [0, 1].
private func polynomialTable(red: [Double], green: [Double], blue: [Double]) -> [Color] {
    func evaluate(_ coefficients: [Double], _ t: Double) -> Double {
        coefficients.reversed().reduce(0) { $0 * t + $1 }
    }
    return (0..<256).map { i in
        let t = Double(i) / 255
        return Color(red: evaluate(red, t), green: evaluate(green, t), blue: evaluate(blue, t))
    }
}

extension Colormap {
    /// The colormaps Fovea ships, by name.
    public enum Name: String, Sendable, CaseIterable {
        /// Google's Turbo (Mikhailov 2019): a rainbow with even lightness steps.
        case turbo
        /// matplotlib's viridis: perceptually uniform, readable in grey and by colour-blind viewers.
        case viridis

        /// The colormap itself.
        public var colormap: Colormap {
            switch self {
            case .turbo: .turbo
            case .viridis: .viridis
            }
        }
    }
}
