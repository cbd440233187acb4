import FoveaTensor

/// The one image → tensor preprocessing (prediction and explanations both use it; a run's spec is
/// `InputSpec.dataset(_:)` in FoveaReports). What a model expects of an image, and how its explanation maps back onto the original: convert
/// the channels, scale the shorter side to `resize`, take the central `crop × crop`, normalise.
public struct InputSpec: Sendable {
    /// Channels the model reads (1 grey, 3 RGB).
    public var channels: Int
    /// The shorter side after scaling.
    public var resize: Int
    /// The side of the central square the model sees.
    public var crop: Int
    /// Per-channel mean and standard deviation of `byte / 255`.
    public var mean: [Float]
    public var std: [Float]
    /// A name for each class index.
    public var classNames: [String]

    public init(channels: Int, resize: Int, crop: Int, mean: [Float], std: [Float], classNames: [String]) {
        self.channels = channels; self.resize = resize; self.crop = crop
        self.mean = mean; self.std = std; self.classNames = classNames
    }

    /// torchvision's ImageNet evaluation transform: resize 256, center crop 224, ImageNet mean/std.
    public static func imagenet(classes: Int = 1000) -> InputSpec {
        InputSpec(channels: 3, resize: 256, crop: 224, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
                  classNames: (0..<classes).map { "class \($0)" })
    }

    /// The image as the model sees it (before normalisation), with notes on what was changed.
    public func modelView(_ image: Image) -> (image: Image, notes: [String]) {
        var notes: [String] = []
        var im = image
        if im.channels != channels {
            notes.append("converted \(im.channels == 1 ? "grey" : im.channels == 4 ? "RGBA" : "RGB") to \(channels == 1 ? "grey" : "RGB")")
            im = im.converted(toChannels: channels)
        }
        if im.width != crop || im.height != crop {
            notes.append("resized \(im.width)x\(im.height) to \(crop)x\(crop)")
            im = im.resized(shorterSide: resize).centerCropped(width: crop, height: crop)
        }
        return (im, notes)
    }

    /// A batch `(N, C, crop, crop)` of normalised images, and the notes for each.
    public func batch(_ images: [Image]) -> (tensor: Tensor, notes: [[String]]) {
        let views = images.map(modelView)
        let storage = views.flatMap { $0.image.tensor(mean: mean, std: std).storage }
        return (Tensor(shape: [images.count, channels, crop, crop], storage: storage), views.map(\.notes))
    }

    /// A `crop × crop` map over the model's input carried back onto an original `width × height`
    /// image: each original pixel samples the map (bilinearly) where the resize and crop sent it;
    /// pixels the crop cut off get 0 (not explained).
    public func mapBack(_ map: Tensor, width: Int, height: Int) -> Tensor {
        if width == crop && height == crop { return map }
        let scaledW = width <= height ? resize : max(1, resize * width / height)
        let scaledH = width <= height ? max(1, resize * height / width) : resize
        let left = (Double(scaledW - crop) / 2).rounded(.toNearestOrEven)
        let top = (Double(scaledH - crop) / 2).rounded(.toNearestOrEven)
        let sx = Double(scaledW) / Double(width), sy = Double(scaledH) / Double(height)
        var out = Tensor(shape: [height, width])
        for y in 0..<height {
            let v = (Double(y) + 0.5) * sy - 0.5 - top
            guard v >= -0.5, v <= Double(crop) - 0.5 else { continue }
            let y0 = min(max(Int(v.rounded(.down)), 0), crop - 1), y1 = min(y0 + 1, crop - 1)
            let fy = Float(min(max(v - Double(y0), 0), 1))
            for x in 0..<width {
                let u = (Double(x) + 0.5) * sx - 0.5 - left
                guard u >= -0.5, u <= Double(crop) - 0.5 else { continue }
                let x0 = min(max(Int(u.rounded(.down)), 0), crop - 1), x1 = min(x0 + 1, crop - 1)
                let fx = Float(min(max(u - Double(x0), 0), 1))
                let top = map.storage[y0 * crop + x0] * (1 - fx) + map.storage[y0 * crop + x1] * fx
                let bottom = map.storage[y1 * crop + x0] * (1 - fx) + map.storage[y1 * crop + x1] * fx
                out.storage[y * width + x] = top * (1 - fy) + bottom * fy
            }
        }
        return out
    }
}
