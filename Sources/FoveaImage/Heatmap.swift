import FoveaTensor

extension Colormap {
    /// An RGB image of `map`, an `(H, W)` or `(1, H, W)` tensor with values in [0, 1] (clamped).
    public func image(of map: Tensor) -> Image {
        colorize(quantized(map))
    }

    /// Grey levels → this map's colours.
    func colorize(_ grey: Image) -> Image {
        var pixels = [UInt8](repeating: 0, count: grey.width * grey.height * 3)
        for i in 0..<(grey.width * grey.height) {
            let color = table[Int(grey.pixels[i])]
            pixels[3 * i] = color.red; pixels[3 * i + 1] = color.green; pixels[3 * i + 2] = color.blue
        }
        return Image(width: grey.width, height: grey.height, channels: 3, pixels: pixels)
    }
}

extension Image {
    /// The image with `map` blended over it in `colormap`'s colours:
    /// `out = (1 − opacity)·image + opacity·colormap(map)`, in RGB.
    ///
    /// `map` is `(H, W)` or `(1, H, W)` with values in [0, 1] — a Grad-CAM or saliency map, for
    /// instance, normalised by the caller. A map of another size (Grad-CAM's is the last conv
    /// layer's) is scaled to the image with bilinear interpolation first. The map is quantised to
    /// the colormap's 256 levels before scaling, finer than the table can show anyway.
    public func overlaying(_ map: Tensor, colormap: Colormap = .turbo, opacity: Float = 0.5) -> Image {
        precondition((0...1).contains(opacity), "opacity must be in [0, 1], got \(opacity)")
        let scaled = quantized(map).resized(width: width, height: height)
        let colors = colormap.colorize(scaled)
        let base = converted(toChannels: 3)
        let blended = zip(base.pixels, colors.pixels).map { a, b in
            UInt8(((1 - opacity) * Float(a) + opacity * Float(b)).rounded())
        }
        return Image(width: width, height: height, channels: 3, pixels: blended)
    }
}

/// A `(H, W)` or `(1, H, W)` map in [0, 1] as a grey image of its 256 levels.
private func quantized(_ map: Tensor) -> Image {
    precondition(map.rank == 2 || (map.rank == 3 && map.shape[0] == 1), "a heatmap is (H, W) or (1, H, W), got \(map.shape)")
    return Image(tensor: map)
}
