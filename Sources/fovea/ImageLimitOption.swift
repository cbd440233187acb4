import ArgumentParser
import FoveaImage

/// `--max-image-pixels`: how large a decoded image may be (see `ImageLimits`); images are read at
/// most `ImageLimits.workingSide` px on the longer side.
struct ImageLimitOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "Most pixels (width × height) a decoded image may take, checked from its header first. Images are read at most \(ImageLimits.workingSide) px on the longer side; interlaced PNGs and progressive JPEGs must fit at full size.")
    var maxImagePixels = ImageLimits.defaultMaxPixels

    func validate() throws {
        guard maxImagePixels >= 1 else { throw ValidationError("--max-image-pixels must be at least 1, got \(maxImagePixels)") }
    }

    /// The limits to decode user images with.
    var limits: ImageLimits { .working(maxPixels: maxImagePixels) }
}
