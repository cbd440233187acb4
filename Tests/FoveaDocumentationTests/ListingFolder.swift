import Foundation
import XCTest
import FoveaTestSupport

extension XCTestCase {
    /// Makes a fresh temporary folder the working directory until the test ends, holding a tiny
    /// Fashion-MNIST (`images` random images per split, uncompressed IDX) in `data/fashion-mnist`,
    /// so the articles' listings run unchanged, with their relative paths, in a second.
    @discardableResult
    func enterListingFolder(images: Int = 64) throws -> URL {
        let folder = try temporaryFolder()
        let data = folder.appendingPathComponent("data/fashion-mnist")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var rng = SystemRandomNumberGenerator()
        for split in ["train", "t10k"] {
            let pixels = (0..<images * 28 * 28).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let labels = (0..<images).map { UInt8($0 % 10) }
            try (idxHeader(magic: 0x0803, dimensions: [images, 28, 28]) + pixels)
                .write(to: data.appendingPathComponent("\(split)-images-idx3-ubyte"))
            try (idxHeader(magic: 0x0801, dimensions: [images]) + labels)
                .write(to: data.appendingPathComponent("\(split)-labels-idx1-ubyte"))
        }
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.path))
        addTeardownBlock { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        return folder
    }

    /// An IDX header: the magic number, then each dimension, all 32-bit big-endian.
    private func idxHeader(magic: UInt32, dimensions: [Int]) -> Data {
        var bytes = Data()
        for word in [magic] + dimensions.map(UInt32.init) { withUnsafeBytes(of: word.bigEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }
}
