import FoveaData
import FoveaTensor
import FoveaTestSupport
import XCTest

final class ImageDatasetTests: XCTestCase {
    /// Writes a 4-image Fashion-MNIST-layout training split (3 × 2 pixels) into `dir`.
    private func writeTinyFashionMNIST(in dir: URL, gzip: Bool = true) throws {
        let write = gzip ? TestFiles.writeGzip : TestFiles.writeRaw
        let suffix = gzip ? ".gz" : ""
        try write(TestFiles.idx(dimensions: [4, 3, 2], payload: (0..<24).map { UInt8($0 * 10) }),
                  dir.appendingPathComponent("train-images-idx3-ubyte" + suffix))
        try write(TestFiles.idx(dimensions: [4], payload: [9, 0, 3, 9]), dir.appendingPathComponent("train-labels-idx1-ubyte" + suffix))
    }

    func testFashionMNISTLayoutLoads() throws {
        for gzip in [true, false] {
            let dir = try temporaryFolder()
            try writeTinyFashionMNIST(in: dir, gzip: gzip)
            let data = try ImageDataset.fashionMNIST(directory: dir, split: .train)
            XCTAssertEqual(data.shape, [4, 1, 3, 2])
            XCTAssertEqual(data.labels, [9, 0, 3, 9])
            XCTAssertEqual(data.classNames[data.labels[0]], "Ankle boot")
            XCTAssertEqual(data.image(at: 1).shape, [1, 3, 2])
            XCTAssertEqual(data.image(at: 1).storage, (6..<12).map { Float($0 * 10) / 255 })
            XCTAssertEqual(data.classCounts, [1, 0, 0, 1, 0, 0, 0, 0, 0, 2])
            XCTAssertEqual(data.subset([3, 0]).labels, [9, 9])
            XCTAssertEqual(Array(data.subset([2]).pixels), (12..<18).map { UInt8($0 * 10) })
        }
    }

    func testMissingFilesSayWhereAndWhatToDo() throws {
        let dir = try temporaryFolder()
        assertDataError([dir.appendingPathComponent("t10k-images-idx3-ubyte.gz").path, "file not found", "data/fashion-mnist"]) {
            try ImageDataset.fashionMNIST(directory: dir, split: .test)
        }
        assertDataError(["train-images-idx3-ubyte.gz", "file not found", "MNIST"]) {
            try ImageDataset.mnist(directory: dir.path, split: .train)
        }
    }

    func testMismatchedAndOutOfRangeLabelsAreRejected() throws {
        let dir = try temporaryFolder()
        try writeTinyFashionMNIST(in: dir)
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [3], payload: [1, 2, 3]), to: dir.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        assertDataError(["train-labels-idx1-ubyte.gz: has 3 labels but train-images-idx3-ubyte.gz has 4 images"]) {
            try ImageDataset.fashionMNIST(directory: dir, split: .train)
        }
        try TestFiles.writeGzip(TestFiles.idx(dimensions: [4], payload: [1, 2, 10, 3]), to: dir.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        assertDataError(["train-labels-idx1-ubyte.gz: label 10 at index 2 is outside 0..<10"]) {
            try ImageDataset.fashionMNIST(directory: dir, split: .train)
        }
    }

    func testInitializerValidatesSizes() {
        XCTAssertThrowsError(try ImageDataset(pixels: [1, 2, 3], channels: 1, height: 2, width: 2, labels: [0], classNames: ["a"]))
        XCTAssertThrowsError(try ImageDataset(pixels: [1, 2, 3, 4], channels: 1, height: 2, width: 2, labels: [1], classNames: ["a"]))
        XCTAssertNoThrow(try ImageDataset(pixels: [1, 2, 3, 4], channels: 1, height: 2, width: 2, labels: [0], classNames: ["a"]))
    }

    /// The bundled Fashion-MNIST test split (data/fashion-mnist, see its README).
    func testBundledFashionMNISTTestSplit() throws {
        let test = try ImageDataset.fashionMNIST(directory: TestFiles.repositoryData().appendingPathComponent("fashion-mnist"), split: .test)
        XCTAssertEqual(test.shape, [10_000, 1, 28, 28])
        XCTAssertEqual(test.classCounts, [Int](repeating: 1_000, count: 10))
        XCTAssertEqual(Array(test.labels.prefix(10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7])
        XCTAssertEqual(test.classNames, ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"])
        // Reference values from Python's gzip + NumPy over the same file.
        XCTAssertEqual(Array(test.imageBytes(at: 0))[13 * 28 + 13], 89)
        let stats = try Normalization.computed(from: test)
        XCTAssertEqual(stats.mean[0], 0.286849, accuracy: 1e-5)
        XCTAssertEqual(stats.std[0], 0.352444, accuracy: 1e-5)
    }
}
