import FoveaTensor

extension Image {
    /// The image as a `(C, H, W)` tensor: `(byte / 255 − mean[c]) / std[c]`.
    ///
    /// `mean` and `std` hold one value per channel, or one value for all; the defaults give [0, 1].
    public func tensor(mean: [Float] = [0], std: [Float] = [1]) -> Tensor {
        precondition(mean.count == 1 || mean.count == channels, "mean needs 1 or \(channels) values, got \(mean.count)")
        precondition(std.count == 1 || std.count == channels, "std needs 1 or \(channels) values, got \(std.count)")
        let C = channels, H = height, W = width
        return Tensor(shape: [C, H, W]) { out in
            for c in 0..<C {
                let m = mean[mean.count == 1 ? 0 : c], s = std[std.count == 1 ? 0 : c]
                for i in 0..<(H * W) {
                    out[c * H * W + i] = (Float(pixels[i * C + c]) / 255 - m) / s
                }
            }
        }
    }

    /// An image from a `(C, H, W)` tensor (C = 1, 3 or 4) or an `(H, W)` one, with values in [0, 1]:
    /// `byte = round(255 · clamp(value, 0, 1))`.
    public init(tensor: Tensor) {
        precondition(tensor.rank == 2 || tensor.rank == 3, "an image tensor is (C, H, W) or (H, W), got \(tensor.shape)")
        let C = tensor.rank == 3 ? tensor.shape[0] : 1
        let H = tensor.shape[tensor.rank - 2], W = tensor.shape[tensor.rank - 1]
        var pixels = [UInt8](repeating: 0, count: C * H * W)
        for c in 0..<C {
            for i in 0..<(H * W) {
                pixels[i * C + c] = UInt8((min(max(tensor.storage[c * H * W + i], 0), 1) * 255).rounded())
            }
        }
        self.init(width: W, height: H, channels: C, pixels: pixels)
    }
}
