import FoveaData
import FoveaImage
import Foundation
import FoveaTestSupport
import XCTest

final class FolderDatasetTests: XCTestCase {
    func testFolderDatasetReadsClassesInSortedOrder() throws {
        let root = try temporaryFolder().path
        let manager = FileManager.default
        for name in ["b_dog", "a_cat", ".hidden"] { try manager.createDirectory(atPath: "\(root)/\(name)", withIntermediateDirectories: true) }
        try manager.createDirectory(atPath: "\(root)/b_dog/nested", withIntermediateDirectories: true)
        // Cats: a wide red PNG and a tall grey JPEG; dogs: a blue PNG in a nested folder.
        try Image(width: 40, height: 20, filledWith: [255, 0, 0]).write(to: "\(root)/a_cat/1.png")
        try Image(width: 12, height: 30, filledWith: [128]).write(to: "\(root)/a_cat/2.JPG")
        try Image(width: 16, height: 16, filledWith: [0, 0, 255, 255]).write(to: "\(root)/b_dog/nested/3.png")
        try Data("notes".utf8).write(to: URL(fileURLWithPath: "\(root)/a_cat/readme.txt"))
        try Data("junk".utf8).write(to: URL(fileURLWithPath: "\(root)/a_cat/.junk.png"))
        try Image(width: 3, height: 3, filledWith: [1]).write(to: "\(root)/.hidden/x.png")

        let dataset = try ImageDataset.folder(directory: root, size: 8, channels: 3)
        XCTAssertEqual(dataset.classNames, ["a_cat", "b_dog"])
        XCTAssertEqual(dataset.labels, [0, 0, 1])
        XCTAssertEqual(dataset.shape, [3, 3, 8, 8])
        // (C, H, W): the red image's first plane is all 255, the others 0.
        let red = Array(dataset.imageBytes(at: 0))
        XCTAssertEqual(Set(red[0..<64]), [255])
        XCTAssertEqual(Set(red[64..<192]), [0])
        let greyJPEG = Array(dataset.imageBytes(at: 1))
        XCTAssertTrue(greyJPEG.allSatisfy { abs(Int($0) - 128) <= 2 })
        XCTAssertEqual(Set(Array(dataset.imageBytes(at: 2))[128..<192]), [255])

        let mono = try ImageDataset.folder(directory: root, size: 4, channels: 1)
        XCTAssertEqual(mono.shape, [3, 1, 4, 4])
        XCTAssertEqual(mono.imageBytes(at: 0).first, 76)  // BT.601 luma of pure red
    }

    func testFolderErrorsNameTheCulprit() throws {
        let root = try temporaryFolder().path
        assertThrowsMentioning(root) { _ = try ImageDataset.folder(directory: root, size: 8) }
        try FileManager.default.createDirectory(atPath: "\(root)/cls", withIntermediateDirectories: true)
        assertThrowsMentioning("no .png") { _ = try ImageDataset.folder(directory: root, size: 8) }
        try Image(width: 4, height: 4, filledWith: [9]).write(to: "\(root)/cls/good.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: URL(fileURLWithPath: "\(root)/cls/broken.png"))
        assertThrowsMentioning("broken.png") { _ = try ImageDataset.folder(directory: root, size: 8) }
        assertThrowsMentioning("missing") { _ = try ImageDataset.folder(directory: root + "/missing", size: 8) }
    }
}
