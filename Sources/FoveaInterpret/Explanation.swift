import FoveaImage
import FoveaTensor

/// One image explained by several methods: its heatmaps on the original image, ready to draw.
public struct Explanation {
    /// The image as given.
    public let original: Image
    /// What preprocessing changed (for the user to see).
    public let notes: [String]
    /// The class explained and the model's probability for it.
    public let target: Int
    public let className: String
    public let probability: Float
    /// Per method: its title, the layer it used (CAM methods), the heatmap in [0, 1] at the
    /// original image's size (scaled down to `maxHeatmapSide` on the longer side if larger), and
    /// Integrated Gradients' completeness gap.
    public var maps: [(method: AttributionKind, title: String, layer: String?, heatmap: Tensor, completenessGap: Float?)]

    /// Explains `images` (any size, grey or colour) with each method; each image gets its own
    /// target (`targets`: one per image, one for all, or nil for the predicted class).
    public static func explain(_ images: [Image], model: ExplainedModel, methods: [AttributionMethod],
                               targets: [Int]? = nil) throws -> [Explanation] {
        let explainer = Explainer(model.model)
        let (batch, notes) = model.spec.batch(images)
        let probabilities = try explainer.probabilities(batch)
        let chosen = try explainer.resolveTargets(targets, logits: probabilities)
        let K = probabilities.shape[1]
        var out = images.indices.map { i in
            Explanation(original: images[i], notes: notes[i], target: chosen[i],
                        className: chosen[i] < model.spec.classNames.count ? model.spec.classNames[chosen[i]] : "class \(chosen[i])",
                        probability: probabilities.storage[i * K + chosen[i]], maps: [])
        }
        let side = model.spec.crop
        let sizes = images.map { heatmapSize(width: $0.width, height: $0.height) }
        for method in methods {
            let a = try method.attribute(batch, targets: chosen, explainer: explainer)
            for i in images.indices {
                let map = model.spec.mapBack(a.heatmap(i, height: side, width: side), width: sizes[i].width, height: sizes[i].height)
                out[i].maps.append((method.kind, method.title, a.layer, map, a.completenessGap?[i]))
            }
        }
        return out
    }

    /// The longest side a heatmap is kept at: a map over a 20000 × 20000 photo would take 1.6 GB
    /// of floats to hold what the model saw at 28 or 224 pixels.
    public static let maxHeatmapSide = 1024

    /// An image's size, scaled to fit `maxHeatmapSide` if it is larger (the aspect ratio kept).
    static func heatmapSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let longer = max(width, height)
        guard longer > maxHeatmapSide else { return (width, height) }
        let s = Double(maxHeatmapSide) / Double(longer)
        return (min(maxHeatmapSide, max(1, Int((Double(width) * s).rounded()))),
                min(maxHeatmapSide, max(1, Int((Double(height) * s).rounded()))))
    }

    /// Method `index`'s figure: the heatmap alone and blended over the image, with a legend.
    public func figure(_ index: Int, colormap: Colormap = .turbo, panelSize: Int = 224) -> HeatmapFigure {
        let m = maps[index]
        let layer = m.layer.map { ", layer \($0)" } ?? ""
        return HeatmapFigure(panels: [("input", displayed(original, to: panelSize)),
                                      ("\(m.title) heatmap", heat(m.heatmap, colormap, panelSize)),
                                      ("overlay", overlay(m.heatmap, colormap, panelSize))],
                             title: "\(m.title) for '\(className)' (p = \(percent(probability)))\(layer)",
                             colormap: colormap, legend: m.method.legend, panelSize: panelSize)
    }

    /// All methods side by side over the image, for comparing them.
    public func comparisonSheet(colormap: Colormap = .turbo, panelSize: Int = 160) -> HeatmapFigure {
        HeatmapFigure(panels: [("input", displayed(original, to: panelSize))] + maps.map { ($0.title, overlay($0.heatmap, colormap, panelSize)) },
                      title: "Why '\(className)' (p = \(percent(probability)))? Each method's attribution, scaled to [0, 1]",
                      colormap: colormap, legend: "relative", panelSize: panelSize, columns: 5)
    }

    /// The heatmap alone in `colormap`, at the original image's size (at most `maxHeatmapSide`).
    public func heatmapImage(_ index: Int, colormap: Colormap = .turbo) -> Image { colormap.image(of: maps[index].heatmap) }

    private func heat(_ map: Tensor, _ colormap: Colormap, _ side: Int) -> Image {
        enlargedMap(map, colormap, side)
    }

    private func overlay(_ map: Tensor, _ colormap: Colormap, _ side: Int) -> Image {
        let base = displayed(original, to: side)
        return base.overlaying(resizeBilinear(map, height: base.height, width: base.width), colormap: colormap, opacity: 0.5)
    }

    private func enlargedMap(_ map: Tensor, _ colormap: Colormap, _ side: Int) -> Image {
        let base = displayed(original, to: side)
        return colormap.image(of: resizeBilinear(map, height: base.height, width: base.width))
    }
}

func percent(_ p: Float) -> String {
    let v = (Double(p) * 1000).rounded() / 10
    return "\(v)%"
}
