import FoveaData
import FoveaTensor

/// Accuracy, loss and the confusion matrix of a model on a dataset.
public struct Evaluation: Sendable, Codable, Equatable {
    /// Mean cross-entropy over the images.
    public var loss: Double
    /// Fraction of images whose top-1 class is right.
    public var accuracy: Double
    /// `confusion[truth][predicted]` counts.
    public var confusion: [[Int]]

    /// Accuracy of each true class (NaN for a class with no images).
    public var perClassAccuracy: [Double] {
        confusion.enumerated().map { c, row in
            let total = row.reduce(0, +)
            return total == 0 ? .nan : Double(row[c]) / Double(total)
        }
    }
}

/// Runs `model` in evaluation mode without gradients over every batch of `loader` and restores the
/// model's previous mode afterwards.
public func evaluate(_ model: Module, on loader: DataLoader, classes: Int) throws -> Evaluation {
    let wasTraining = model.isTraining
    model.eval()
    defer { if wasTraining { model.train() } }
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    var lossSum = 0.0, seen = 0
    try GradMode.withoutGradients {
        for batch in loader.batches(epoch: 0) {
            let logits = try model(Variable(batch.images))
            let loss = try crossEntropy(logits, targets: batch.labels)
            lossSum += Double(loss.value.storage[0]) * Double(batch.labels.count)
            seen += batch.labels.count
            for (i, predicted) in logits.value.argmaxRows().enumerated() {
                let truth = batch.labels[i]
                if truth < classes && predicted < classes { confusion[truth][predicted] += 1 }
            }
        }
    }
    let correct = (0..<classes).reduce(0) { $0 + confusion[$1][$1] }
    return Evaluation(loss: seen == 0 ? 0 : lossSum / Double(seen),
                      accuracy: seen == 0 ? 0 : Double(correct) / Double(seen), confusion: confusion)
}
