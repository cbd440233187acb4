import FoveaData
import FoveaTestSupport
import XCTest

final class CIFARReaderTests: XCTestCase {
    func testReadsCIFAR10Records() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("data_batch_1.bin")
        try TestFiles.writeRaw(TestFiles.cifarRecord(labels: [3], fill: 0) + TestFiles.cifarRecord(labels: [9], fill: 100), to: url)
        let records = try CIFARReader.read(url, variant: .cifar10)
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records.labels, [3, 9])
        XCTAssertEqual(records.coarseLabels, [])
        XCTAssertEqual(records.pixels.count, 2 * 3072)
        XCTAssertEqual(Array(records.pixels[3072..<3075]), [100, 101, 102])
    }

    func testReadsCIFAR100CoarseAndFine() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("train.bin")
        try TestFiles.writeRaw(TestFiles.cifarRecord(labels: [19, 99], fill: 5) + TestFiles.cifarRecord(labels: [0, 42], fill: 6), to: url)
        let records = try CIFARReader.read(url, variant: .cifar100)
        XCTAssertEqual(records.labels, [99, 42])
        XCTAssertEqual(records.coarseLabels, [19, 0])
        XCTAssertEqual(records.pixels.first, 5)
    }

    func testTruncatedAndInvalidFilesNameTheFile() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("data_batch_2.bin")
        try TestFiles.writeRaw(TestFiles.cifarRecord(labels: [1], fill: 0) + TestFiles.cifarRecord(labels: [2], fill: 0), to: url)
        try TestFiles.truncate(url, to: 3073 + 1200)
        assertDataError(["data_batch_2.bin: expected whole 3073-byte records", "1 records and 1200 bytes left over"]) {
            try CIFARReader.read(url, variant: .cifar10)
        }
        try TestFiles.writeRaw(TestFiles.cifarRecord(labels: [10], fill: 0), to: url)
        assertDataError(["data_batch_2.bin: record 0 has label 10"]) { try CIFARReader.read(url, variant: .cifar10) }
        try TestFiles.writeRaw([], to: url)
        assertDataError(["data_batch_2.bin: declares 0 images: the file is empty"]) { try CIFARReader.read(url, variant: .cifar10) }
    }

    func testCIFAR10DatasetFromDirectory() throws {
        let dir = try temporaryFolder()
        for b in 1...5 {
            try TestFiles.writeRaw(TestFiles.cifarRecord(labels: [UInt8(b)], fill: UInt8(b)), to: dir.appendingPathComponent("data_batch_\(b).bin"))
        }
        try TestFiles.writeGzip(TestFiles.cifarRecord(labels: [0], fill: 0), to: dir.appendingPathComponent("test_batch.bin"))
        let train = try ImageDataset.cifar10(directory: dir, split: .train)
        XCTAssertEqual(train.shape, [5, 3, 32, 32])
        XCTAssertEqual(train.labels, [1, 2, 3, 4, 5])
        XCTAssertEqual(train.classNames[0], "airplane")
        XCTAssertEqual(try ImageDataset.cifar10(directory: dir.path, split: .test).labels, [0])  // gzip'd works too
        try FileManager.default.removeItem(at: dir.appendingPathComponent("data_batch_3.bin"))
        assertDataError(["data_batch_3.bin: file not found", "cifar-10-binary.tar.gz"]) {
            try ImageDataset.cifar10(directory: dir, split: .train)
        }
    }

    func testCIFAR100DatasetUsesNameFiles() throws {
        let dir = try temporaryFolder()
        try TestFiles.writeRaw(TestFiles.cifarRecord(labels: [2, 7], fill: 0), to: dir.appendingPathComponent("test.bin"))
        try (0..<20).map { "super\($0)" }.joined(separator: "\n").write(to: dir.appendingPathComponent("coarse_label_names.txt"), atomically: true, encoding: .utf8)
        let coarse = try ImageDataset.cifar100(directory: dir, split: .test, labels: .coarse)
        XCTAssertEqual(coarse.labels, [2])
        XCTAssertEqual(coarse.classNames[2], "super2")
        let fine = try ImageDataset.cifar100(directory: dir, split: .test)
        XCTAssertEqual(fine.labels, [7])
        XCTAssertEqual(fine.classNames.count, 100)
    }
}
