extension Image {
    /// The image resampled to `width` × `height` with a triangle (bilinear) filter.
    ///
    /// Pixel centres sit at half-integers, as in PyTorch's `align_corners=False` and PIL. When
    /// enlarging, this is plain bilinear interpolation (edges replicate). When shrinking with
    /// `antialias`, the triangle is widened by the scale factor so every input pixel contributes
    /// (PIL's `BILINEAR` and torchvision's `antialias=True`); without it, shrinking skips pixels and aliases.
    public func resized(width newWidth: Int, height newHeight: Int, antialias: Bool = true) -> Image {
        precondition(newWidth > 0 && newHeight > 0, "resize target must be positive, got \(newWidth)x\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        let C = channels
        let columns = resampleTaps(from: width, to: newWidth, antialias: antialias)
        let rows = resampleTaps(from: height, to: newHeight, antialias: antialias)

        // Horizontal pass: (H, W, C) bytes → (H, newW, C) floats.
        var horizontal = [Float](repeating: 0, count: height * newWidth * C)
        for y in 0..<height {
            for (x, tap) in columns.enumerated() {
                for c in 0..<C {
                    var sum: Float = 0
                    for (k, weight) in tap.weights.enumerated() {
                        sum += weight * Float(pixels[(y * width + tap.start + k) * C + c])
                    }
                    horizontal[(y * newWidth + x) * C + c] = sum
                }
            }
        }
        // Vertical pass: (H, newW, C) → (newH, newW, C), rounded and clamped back to bytes.
        var out = [UInt8](repeating: 0, count: newHeight * newWidth * C)
        for (y, tap) in rows.enumerated() {
            for x in 0..<newWidth {
                for c in 0..<C {
                    var sum: Float = 0
                    for (k, weight) in tap.weights.enumerated() {
                        sum += weight * horizontal[((tap.start + k) * newWidth + x) * C + c]
                    }
                    out[(y * newWidth + x) * C + c] = UInt8(min(max(sum.rounded(), 0), 255))
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: C, pixels: out)
    }

    /// The image scaled so its shorter side is `size`, keeping the aspect ratio: the longer side
    /// becomes `⌊size · long / short⌋`, as torchvision's `Resize(size)` computes it.
    public func resized(shorterSide size: Int, antialias: Bool = true) -> Image {
        if width <= height {
            return resized(width: size, height: max(1, size * height / width), antialias: antialias)
        }
        return resized(width: max(1, size * width / height), height: size, antialias: antialias)
    }

    /// The central `width` × `height` region. The offset is `round((W − w) / 2)` with ties to even,
    /// as torchvision's `CenterCrop` computes it.
    public func centerCropped(width cropWidth: Int, height cropHeight: Int) -> Image {
        precondition(cropWidth > 0 && cropHeight > 0 && cropWidth <= width && cropHeight <= height,
                     "crop \(cropWidth)x\(cropHeight) does not fit in \(width)x\(height)")
        let left = Int((Double(width - cropWidth) / 2).rounded(.toNearestOrEven))
        let top = Int((Double(height - cropHeight) / 2).rounded(.toNearestOrEven))
        return cropped(x: left, y: top, width: cropWidth, height: cropHeight)
    }

    /// The `width` × `height` region whose top-left pixel is (`x`, `y`).
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) -> Image {
        precondition(x >= 0 && y >= 0 && x + cropWidth <= width && y + cropHeight <= height,
                     "crop at (\(x), \(y)) of \(cropWidth)x\(cropHeight) does not fit in \(width)x\(height)")
        var out: [UInt8] = []
        out.reserveCapacity(cropWidth * cropHeight * channels)
        for row in y..<(y + cropHeight) {
            let start = (row * width + x) * channels
            out.append(contentsOf: pixels[start..<(start + cropWidth * channels)])
        }
        return Image(width: cropWidth, height: cropHeight, channels: channels, pixels: out)
    }
}

/// The input pixels one output pixel reads: `weights[k]` applies to input `start + k`.
struct ResampleTap {
    var start: Int
    var weights: [Float]
}

/// Triangle-filter taps mapping `inputSize` pixels to `outputSize`. Output pixel `i` is centred at
/// input coordinate `(i + ½)·scale`; input pixel `j` at `j + ½`; the triangle's half-width is 1,
/// or `scale` when shrinking with antialiasing. Taps past the border are dropped and the rest
/// renormalised, which replicates the edge.
func resampleTaps(from inputSize: Int, to outputSize: Int, antialias: Bool) -> [ResampleTap] {
    let scale = Double(inputSize) / Double(outputSize)
    let support = antialias && scale > 1 ? scale : 1
    return (0..<outputSize).map { i in
        let center = (Double(i) + 0.5) * scale
        let lower = max(0, Int((center - support).rounded(.down)))
        let upper = min(inputSize, Int((center + support).rounded(.up)))
        var weights = (lower..<upper).map { j in max(0, 1 - abs((Double(j) + 0.5 - center) / support)) }
        let total = weights.reduce(0, +)
        if total == 0 {  // cannot happen for support ≥ ½, but never divide by zero
            let nearest = min(inputSize - 1, Int(center))
            return ResampleTap(start: nearest, weights: [1])
        }
        weights = weights.map { $0 / total }
        return ResampleTap(start: lower, weights: weights.map(Float.init))
    }
}
