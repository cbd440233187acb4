import Foundation

extension ImageDataset {
    /// CIFAR-10's classes, in label order (as in the distribution's `batches.meta.txt`).
    public static let cifar10ClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]

    /// Which of CIFAR-100's two labels to use as the class.
    public enum CIFAR100Labels: Sendable {
        /// The 100 fine classes.
        case fine
        /// The 20 coarse superclasses.
        case coarse
    }

    /// Loads a CIFAR-10 split from `directory` (the extracted `cifar-10-batches-bin`): `.train`
    /// reads `data_batch_1.bin` … `data_batch_5.bin` (50,000 images), `.test` reads `test_batch.bin`
    /// (10,000). Shape `(N, 3, 32, 32)`.
    public static func cifar10(directory: URL, split: DatasetSplit) throws -> ImageDataset {
        let names = split == .train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        var pixels: [UInt8] = [], labels: [Int] = []
        for name in names {
            let records = try CIFARReader.read(locateCIFAR(name, in: directory, variant: .cifar10), variant: .cifar10)
            pixels += records.pixels
            labels += records.labels
        }
        let classNames = readNames("batches.meta.txt", in: directory, count: 10) ?? cifar10ClassNames
        return try ImageDataset(pixels: pixels, channels: 3, height: 32, width: 32, labels: labels, classNames: classNames)
    }

    /// `cifar10(directory:split:)` with a path.
    public static func cifar10(directory: String, split: DatasetSplit) throws -> ImageDataset {
        try cifar10(directory: URL(fileURLWithPath: directory), split: split)
    }

    /// Loads a CIFAR-100 split from `directory` (the extracted `cifar-100-binary`): `train.bin`
    /// (50,000 images) or `test.bin` (10,000), labelled by fine or coarse class. Class names come from
    /// `fine_label_names.txt` / `coarse_label_names.txt` there, or are "class 0", "class 1"… without them.
    public static func cifar100(directory: URL, split: DatasetSplit, labels: CIFAR100Labels = .fine) throws -> ImageDataset {
        let url = try locateCIFAR(split == .train ? "train.bin" : "test.bin", in: directory, variant: .cifar100)
        let records = try CIFARReader.read(url, variant: .cifar100)
        let count = labels == .fine ? 100 : 20
        let namesFile = labels == .fine ? "fine_label_names.txt" : "coarse_label_names.txt"
        let classNames = readNames(namesFile, in: directory, count: count) ?? (0..<count).map { "class \($0)" }
        return try ImageDataset(pixels: records.pixels, channels: 3, height: 32, width: 32,
                                labels: labels == .fine ? records.labels : records.coarseLabels, classNames: classNames)
    }

    /// `cifar100(directory:split:labels:)` with a path.
    public static func cifar100(directory: String, split: DatasetSplit, labels: CIFAR100Labels = .fine) throws -> ImageDataset {
        try cifar100(directory: URL(fileURLWithPath: directory), split: split, labels: labels)
    }

    private static func locateCIFAR(_ name: String, in directory: URL, variant: CIFARVariant) throws -> URL {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let archive = variant == .cifar10 ? "cifar-10-binary.tar.gz" : "cifar-100-binary.tar.gz"
            throw DataError(file: url.path, "file not found; download \(archive) (the binary version) from https://www.cs.toronto.edu/~kriz/cifar.html and pass the directory it extracts to")
        }
        return url
    }

    /// One class name per non-empty line of `name` in `directory`, if it exists and has `count` of them.
    private static func readNames(_ name: String, in directory: URL, count: Int) -> [String]? {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { return nil }
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return names.count == count ? names : nil
    }
}
