/// An 8-bit raster image: grey (1 channel), RGB (3) or RGBA (4).
///
/// Pixels are interleaved, `(H, W, C)` row-major — the order image files and codecs use. Tensors are
/// `(C, H, W)`; `tensor(mean:std:)` and `init(tensor:)` convert between the two.
public struct Image: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Channels per pixel: 1 (grey), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// All samples, `(H, W, C)` row-major; `pixels.count == height * width * channels`.
    public var pixels: [UInt8]

    /// An image over existing interleaved `(H, W, C)` bytes.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "image size must be positive, got \(width)x\(height)")
        precondition([1, 3, 4].contains(channels), "an image has 1, 3 or 4 channels, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "\(width)x\(height)x\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// An image filled with one colour; `value` holds one byte per channel.
    public init(width: Int, height: Int, filledWith value: [UInt8]) {
        precondition(!value.isEmpty, "a fill colour needs at least one channel")
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * value.count)
        for _ in 0..<(width * height) { pixels.append(contentsOf: value) }
        self.init(width: width, height: height, channels: value.count, pixels: pixels)
    }

    /// The sample of channel `c` at column `x`, row `y`.
    public subscript(x: Int, y: Int, c: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }
}
