import Foundation

extension ImageDataset {
    /// Fashion-MNIST's classes, in label order (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747).
    public static let fashionMNISTClassNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]
    /// MNIST's classes: the digits "0" … "9".
    public static let mnistClassNames = (0...9).map { String($0) }

    /// Loads a Fashion-MNIST split from `directory`, which holds `train-images-idx3-ubyte.gz`,
    /// `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz`
    /// (or the same names uncompressed). Fovea's repository bundles them in `data/fashion-mnist`.
    /// Shape `(N, 1, 28, 28)`; N is 60,000 for `.train` and 10,000 for `.test`.
    public static func fashionMNIST(directory: URL, split: DatasetSplit) throws -> ImageDataset {
        try mnistLayout(directory: directory, split: split, classNames: fashionMNISTClassNames,
                        advice: "Fashion-MNIST ships with Fovea in data/fashion-mnist: pass that directory, or download the four files from https://github.com/zalandoresearch/fashion-mnist into it")
    }

    /// `fashionMNIST(directory:split:)` with a path.
    public static func fashionMNIST(directory: String, split: DatasetSplit) throws -> ImageDataset {
        try fashionMNIST(directory: URL(fileURLWithPath: directory), split: split)
    }

    /// Loads an MNIST split from `directory`, laid out as for `fashionMNIST(directory:split:)`.
    /// KMNIST's files use the same names, so this loads KMNIST too (its class names differ).
    public static func mnist(directory: URL, split: DatasetSplit) throws -> ImageDataset {
        try mnistLayout(directory: directory, split: split, classNames: mnistClassNames,
                        advice: "download the four MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) from http://yann.lecun.com/exdb/mnist/ or a mirror into this directory")
    }

    /// `mnist(directory:split:)` with a path.
    public static func mnist(directory: String, split: DatasetSplit) throws -> ImageDataset {
        try mnist(directory: URL(fileURLWithPath: directory), split: split)
    }

    /// Loads an image file `(N, H, W)` and a label file `(N)`, both IDX with unsigned bytes — the
    /// general form for EMNIST and other MNIST-like sets. Note EMNIST stores each image transposed
    /// (column-major); this loader keeps the bytes as stored.
    public static func idx(images: URL, labels: URL, classNames: [String]) throws -> ImageDataset {
        let imageFile = try IDXReader.read(images, elementName: "pixels")
        let labelFile = try IDXReader.read(labels, elementName: "labels")
        let imageName = images.lastPathComponent, labelName = labels.lastPathComponent
        guard imageFile.dataType == .uint8, imageFile.dimensions.count == 3 else {
            throw DataError(file: imageName, "expected unsigned-byte images (N, H, W), got \(imageFile.dataType) with dimensions \(imageFile.dimensions)")
        }
        guard labelFile.dataType == .uint8, labelFile.dimensions.count == 1 else {
            throw DataError(file: labelName, "expected unsigned-byte labels (N), got \(labelFile.dataType) with dimensions \(labelFile.dimensions)")
        }
        let n = imageFile.dimensions[0]
        // An empty split would train and evaluate on nothing and report success.
        guard n > 0 else { throw DataError(file: imageName, "declares 0 images") }
        guard imageFile.dimensions[1] > 0, imageFile.dimensions[2] > 0 else {
            throw DataError(file: imageName, "declares images of \(imageFile.dimensions[1]) × \(imageFile.dimensions[2]) pixels, expected both sizes positive")
        }
        guard labelFile.dimensions[0] == n else {
            throw DataError(file: labelName, "has \(labelFile.dimensions[0]) labels but \(imageName) has \(n) images")
        }
        let labelValues = labelFile.data.map(Int.init)
        if let bad = labelValues.firstIndex(where: { $0 >= classNames.count }) {
            throw DataError(file: labelName, "label \(labelValues[bad]) at index \(bad) is outside 0..<\(classNames.count)")
        }
        return try ImageDataset(pixels: imageFile.data, channels: 1, height: imageFile.dimensions[1],
                                width: imageFile.dimensions[2], labels: labelValues, classNames: classNames)
    }

    private static func mnistLayout(directory: URL, split: DatasetSplit, classNames: [String], advice: String) throws -> ImageDataset {
        let prefix = split == .train ? "train" : "t10k"
        let images = try locate("\(prefix)-images-idx3-ubyte", in: directory, advice: advice)
        let labels = try locate("\(prefix)-labels-idx1-ubyte", in: directory, advice: advice)
        return try idx(images: images, labels: labels, classNames: classNames)
    }

    /// `name.gz` in `directory`, else `name` uncompressed; a `DataError` naming the path if neither exists.
    static func locate(_ name: String, in directory: URL, advice: String) throws -> URL {
        let compressed = directory.appendingPathComponent(name + ".gz")
        let raw = directory.appendingPathComponent(name)
        for candidate in [compressed, raw] where FileManager.default.fileExists(atPath: candidate.path) {
            return candidate
        }
        throw DataError(file: compressed.path, "file not found (nor \(name) uncompressed); \(advice)")
    }
}
