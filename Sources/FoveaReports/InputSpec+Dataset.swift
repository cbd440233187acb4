import FoveaImage
import FoveaTrain

extension InputSpec {
    /// A model trained by `fovea train` on `dataset`: its size, no extra margin.
    public static func dataset(_ info: DatasetInfo) -> InputSpec {
        InputSpec(channels: info.channels, resize: info.size, crop: info.size, mean: info.normalization.mean,
                  std: info.normalization.std, classNames: info.classNames)
    }
}
