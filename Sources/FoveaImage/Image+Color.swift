extension Image {
    /// The image with `channels` channels (1 grey, 3 RGB, 4 RGBA).
    ///
    /// Colour → grey uses ITU-R BT.601 luma, `L = 0.299 R + 0.587 G + 0.114 B`, in the 16-bit fixed
    /// point PIL uses for `convert("L")`, so values match PIL exactly. Grey → colour copies the value
    /// into R, G and B. Removing alpha drops it (no compositing); adding alpha makes it opaque (255).
    public func converted(toChannels target: Int) -> Image {
        precondition([1, 3, 4].contains(target), "an image has 1, 3 or 4 channels, got \(target)")
        if target == channels { return self }
        let count = width * height
        var out = [UInt8](repeating: 255, count: count * target)
        pixels.withUnsafeBufferPointer { source in
            for i in 0..<count {
                let p = i * channels, q = i * target
                if target == 1 {
                    let r = UInt32(source[p]), g = UInt32(source[p + 1]), b = UInt32(source[p + 2])
                    out[q] = UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
                } else if channels == 1 {
                    out[q] = source[p]; out[q + 1] = source[p]; out[q + 2] = source[p]
                } else {
                    out[q] = source[p]; out[q + 1] = source[p + 1]; out[q + 2] = source[p + 2]
                }
            }
        }
        return Image(width: width, height: height, channels: target, pixels: out)
    }
}
