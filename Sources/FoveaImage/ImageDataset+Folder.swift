import Dispatch
import FoveaData
import Foundation

extension ImageDataset {
    /// Loads an image folder: one sub-folder per class, class names in sorted order (the layout
    /// and order of torchvision's `ImageFolder`).
    ///
    /// Every `.png`, `.jpg` and `.jpeg` file under a class folder (nested folders included, sorted
    /// by relative path; hidden files skipped) is decoded, converted to `channels` (1 or 3), scaled
    /// so its shorter side is `size` (antialiased bilinear) and center-cropped to `size` × `size`.
    /// Other files are ignored. Decoding runs on all cores.
    ///
    ///     root/cat/001.png, root/cat/002.jpg, root/dog/a.png  →  classNames ["cat", "dog"]
    ///
    /// Throws a `DataError` naming the folder when it has no class folders or no images, and naming
    /// the file when one cannot be decoded.
    public static func folder(directory: String, size: Int, channels: Int = 3) throws -> ImageDataset {
        guard size > 0, channels == 1 || channels == 3 else {
            throw DataError(file: directory, "image folder needs size > 0 and 1 or 3 channels, got size \(size), \(channels) channels")
        }
        let files = try imageFiles(in: directory)
        guard !files.paths.isEmpty else {
            throw DataError(file: directory, "contains no .png, .jpg or .jpeg files in its class folders")
        }

        let count = files.paths.count, imageSize = channels * size * size
        let results = DecodeResults(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            results.set(i, Result {
                let image = try Image(contentsOfFile: files.paths[i]).converted(toChannels: channels)
                    .resized(shorterSide: size).centerCropped(width: size, height: size)
                return chwBytes(of: image)
            })
        }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * imageSize)
        for i in 0..<count { pixels.append(contentsOf: try results.get(i)) }
        return try ImageDataset(pixels: pixels, channels: channels, height: size, width: size,
                                labels: files.labels, classNames: files.classNames)
    }

    /// The image files of a class-per-folder tree, with their labels.
    private static func imageFiles(in directory: String) throws -> (paths: [String], labels: [Int], classNames: [String]) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(file: directory, "is not a folder")
        }
        let entries = try manager.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
        let classNames = entries.filter { entry in
            var folder: ObjCBool = false
            return manager.fileExists(atPath: directory + "/" + entry, isDirectory: &folder) && folder.boolValue
        }
        guard !classNames.isEmpty else {
            throw DataError(file: directory, "has no class sub-folders (expected one folder per class)")
        }
        var paths: [String] = [], labels: [Int] = []
        for (label, name) in classNames.enumerated() {
            let classFolder = directory + "/" + name
            let relative = (manager.subpaths(atPath: classFolder) ?? []).filter { path in
                !path.split(separator: "/").contains { $0.hasPrefix(".") }
                    && ImageFileFormat(pathExtension: (path as NSString).pathExtension) != nil
            }.sorted()
            paths += relative.map { classFolder + "/" + $0 }
            labels += Array(repeating: label, count: relative.count)
        }
        return (paths, labels, classNames)
    }
}

/// `(H, W, C)` interleaved bytes reordered to `(C, H, W)`, the dataset layout.
private func chwBytes(of image: Image) -> [UInt8] {
    let C = image.channels, HW = image.width * image.height
    var out = [UInt8](repeating: 0, count: C * HW)
    for c in 0..<C {
        for i in 0..<HW { out[c * HW + i] = image.pixels[i * C + c] }
    }
    return out
}

/// One slot per image, each written once by its `concurrentPerform` iteration and read after all
/// have finished. The lock serialises the writes into the shared array.
private final class DecodeResults: @unchecked Sendable {
    private var slots: [Result<[UInt8], any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<[UInt8], any Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
    }

    func get(_ index: Int) throws -> [UInt8] { try slots[index]!.get() }
}
