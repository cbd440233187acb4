import FoveaData
import Foundation

extension Image {
    /// Reads a PNG or JPEG file, told apart by its first bytes (not its name), within `limits`
    /// (checked against the header before decoding; see `ImageLimits`). Throws a `DataError` naming
    /// `path` when the file is missing, of another format, corrupt, or over the limits.
    public init(contentsOfFile path: String, limits: ImageLimits = .default) throws {
        let data = try readFile(path)
        switch ImageFileFormat(sniffing: data) {
        case .png: try self.init(pngData: data, name: path, limits: limits)
        case .jpeg: try self.init(jpegData: data, name: path, limits: limits)
        case nil: throw DataError(file: path, "is neither a PNG nor a JPEG file (unrecognised signature)")
        }
    }

    /// Writes the image to `path` as PNG or JPEG, chosen by the extension (`.png`, `.jpg`, `.jpeg`).
    public func write(to path: String) throws {
        switch ImageFileFormat(pathExtension: (path as NSString).pathExtension) {
        case .png: try writePNG(to: path)
        case .jpeg: try writeJPEG(to: path)
        case nil: throw DataError(file: path, "has no image extension; use .png, .jpg or .jpeg")
        }
    }
}

/// The file formats `Image` reads and writes.
public enum ImageFileFormat: String, Sendable, CaseIterable {
    /// Portable Network Graphics.
    case png
    /// JPEG (JFIF/Exif).
    case jpeg

    /// The format whose signature starts `data`, if any.
    public init?(sniffing data: Data) {
        let bytes = [UInt8](data.prefix(8))
        if bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            self = .png
        } else if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
            self = .jpeg
        } else {
            return nil
        }
    }

    /// The format a file extension names (case-insensitive), if any.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        default: return nil
        }
    }
}
