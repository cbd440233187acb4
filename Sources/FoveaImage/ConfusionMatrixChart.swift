/// A confusion matrix drawn as coloured cells with their counts: rows are true classes, columns
/// predicted ones. A cell's colour is its share of the row (the recall for diagonal cells), from
/// white (0) to dark blue (1), so rows of rare classes read as clearly as rows of common ones.
public struct ConfusionMatrixChart: Chart, Sendable {
    /// `counts[trueClass][predictedClass]`, `(K, K)`.
    public var counts: [[Int]]
    /// The class names, `(K)`.
    public var classNames: [String]
    /// The title above the matrix.
    public var title: String

    /// A chart of `counts` (`counts[true][predicted]`, K × K) with K `classNames`.
    public init(counts: [[Int]], classNames: [String], title: String = "Confusion matrix") {
        precondition(counts.count == classNames.count && counts.allSatisfy { $0.count == classNames.count },
                     "a confusion matrix for \(classNames.count) classes is \(classNames.count) x \(classNames.count)")
        self.counts = counts
        self.classNames = classNames
        self.title = title
    }

    /// A chart counting each (`labels[i]`, `predictions[i]`) pair, classes `0..<classNames.count`.
    public init(labels: [Int], predictions: [Int], classNames: [String], title: String = "Confusion matrix") {
        precondition(labels.count == predictions.count, "\(labels.count) labels but \(predictions.count) predictions")
        var counts = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
        for (truth, guess) in zip(labels, predictions) { counts[truth][guess] += 1 }
        self.init(counts: counts, classNames: classNames, title: title)
    }

    /// The cell colour of a row share in [0, 1].
    static func cellColor(_ share: Double) -> Color {
        Color(hex: 0xF7FBFF).mixed(with: Color(hex: 0x08306B), share)
    }

    public func drawing(font: Font?) -> Drawing {
        let K = classNames.count, labelSize = 12, titleSize = 16, axisSize = 13
        let cell = Double(min(60, max(24, 560 / max(K, 1))))
        let nameWidth = classNames.map { textWidth($0, size: labelSize, font: font) }.max() ?? 0
        let verticalColumnNames = nameWidth > cell - 4

        let matrixLeft = (12 + Double(axisSize) + 10 + nameWidth + 8).rounded()
        let matrixTop = title.isEmpty ? 16.0 : 44
        let matrixSize = cell * Double(K)
        let columnNamesHeight = (verticalColumnNames ? nameWidth : Double(labelSize)) + 8
        let pageWidth = max(matrixLeft + matrixSize + 20, textWidth(title, size: titleSize, font: font) + 40)
        let pageHeight = matrixTop + matrixSize + 6 + columnNamesHeight + Double(axisSize) + 16

        var drawing = Drawing(width: Int(pageWidth.rounded(.up)), height: Int(pageHeight.rounded(.up)))
        if !title.isEmpty {
            drawing.text(title, at: Point(pageWidth / 2, 28), size: titleSize, color: .black, anchor: .middle)
        }
        let largest = counts.flatMap { $0 }.max() ?? 0
        let countSize = max(7, min(14, Int(cell * 0.9 / (0.62 * Double(max(String(largest).count, 2)))), Int(cell * 0.4)))
        for (row, rowCounts) in counts.enumerated() {
            let total = rowCounts.reduce(0, +)
            for (column, count) in rowCounts.enumerated() {
                let share = total == 0 ? 0 : Double(count) / Double(total)
                let x = matrixLeft + cell * Double(column), y = matrixTop + cell * Double(row)
                drawing.rectangle(x: x, y: y, width: cell, height: cell, fill: Self.cellColor(share))
                drawing.text(String(count), at: Point(x + cell / 2, y + cell / 2 + Double(countSize) * 0.36), size: countSize,
                             color: share > 0.5 ? .white : .ink, anchor: .middle)
            }
        }
        drawing.rectangle(x: matrixLeft, y: matrixTop, width: matrixSize, height: matrixSize, stroke: Color(hex: 0x999999))

        for (i, name) in classNames.enumerated() {
            let center = cell * (Double(i) + 0.5)
            drawing.text(name, at: Point(matrixLeft - 6, matrixTop + center + 4), size: labelSize, anchor: .end)
            if verticalColumnNames {
                drawing.text(name, at: Point(matrixLeft + center + 4, matrixTop + matrixSize + 6), size: labelSize,
                             anchor: .end, vertical: true)
            } else {
                drawing.text(name, at: Point(matrixLeft + center, matrixTop + matrixSize + 6 + Double(labelSize)),
                             size: labelSize, anchor: .middle)
            }
        }
        drawing.text("predicted", at: Point(matrixLeft + matrixSize / 2, pageHeight - 10), size: axisSize, anchor: .middle)
        drawing.text("true", at: Point(12 + Double(axisSize), matrixTop + matrixSize / 2), size: axisSize,
                     anchor: .middle, vertical: true)
        return drawing
    }
}
