import FoveaData
import FoveaImage
import FoveaTensor

/// The top classes for one image, and what was done to the image to fit the model.
public struct Prediction: Sendable {
    /// (class name, probability), most likely first.
    public var top: [(name: String, probability: Float)]
    /// Conversions applied (resizing, colour → grey), for the user to see.
    public var notes: [String]
}

extension TrainedRun {
    /// Classifies images of any size and colour: each is converted to the dataset's channel count,
    /// resized (shorter side) and center-cropped to its size, normalised, and run in one batch.
    public func predict(_ images: [Image], dataset: DatasetInfo, top k: Int = 3) throws -> [Prediction] {
        var notes: [[String]] = []
        var batch: [Float] = []
        for image in images {
            var n: [String] = []
            var im = image
            if im.channels != dataset.channels {
                n.append("converted \(im.channels == 1 ? "grey" : im.channels == 4 ? "RGBA" : "RGB") to \(dataset.channels == 1 ? "grey" : "RGB")")
                im = im.converted(toChannels: dataset.channels)
            }
            if im.width != dataset.size || im.height != dataset.size {
                n.append("resized \(im.width)x\(im.height) to \(dataset.size)x\(dataset.size)")
                im = im.resized(shorterSide: dataset.size).centerCropped(width: dataset.size, height: dataset.size)
            }
            notes.append(n)
            batch += im.tensor(mean: dataset.normalization.mean, std: dataset.normalization.std).storage
        }
        let x = Tensor(shape: [images.count, dataset.channels, dataset.size, dataset.size], storage: batch)
        let probabilities = try GradMode.withoutGradients { try model(Variable(x)) }.value.softmaxRows()
        return (0..<images.count).map { i in
            let row = probabilities.item(i).storage
            let order = row.indices.sorted { row[$0] > row[$1] }.prefix(k)
            return Prediction(top: order.map { (dataset.classNames[$0], row[$0]) }, notes: notes[i])
        }
    }
}
