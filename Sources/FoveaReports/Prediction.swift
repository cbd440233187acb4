import FoveaAutograd
import FoveaImage
import FoveaTensor
import FoveaTrain

/// The top classes for one image, and what was done to the image to fit the model.
public struct Prediction: Sendable {
    /// (class name, probability), most likely first.
    public var top: [(name: String, probability: Float)]
    /// Conversions applied (resizing, colour → grey), for the user to see.
    public var notes: [String]
}

extension TrainedRun {
    /// Classifies images of any size and colour: each is converted to the dataset's channel count,
    /// resized (shorter side) and center-cropped to its size, normalised (`InputSpec.dataset`), and run in one batch.
    public func predict(_ images: [Image], dataset: DatasetInfo, top k: Int = 3) throws -> [Prediction] {
        let (x, notes) = InputSpec.dataset(dataset).batch(images)
        let probabilities = try GradMode.withoutGradients { try model(Variable(x)) }.value.softmaxRows()
        return (0..<images.count).map { i in
            let row = probabilities.item(i).storage
            let order = row.indices.sorted { row[$0] > row[$1] }.prefix(k)
            return Prediction(top: order.map { (dataset.classNames[$0], row[$0]) }, notes: notes[i])
        }
    }
}
