import Foundation
import FoveaONNXProto
import SwiftProtobuf

/// An ONNX file that cannot be read, or a graph Fovea cannot use; the message says which and why.
public struct ONNXError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// ONNX model files on disk: read as untrusted input, written atomically.
public enum ONNXFile {
    /// The largest model file read: protobuf's own 2 GiB message limit (larger models keep their
    /// weights in external data files, which Fovea does not read).
    public static let maximumBytes = Int(Int32.max)

    /// Decodes the model in `url`; a clear `ONNXError` for a missing, oversized or malformed file.
    public static func readModel(at url: URL) throws -> Onnx_ModelProto {
        let size: Int
        do {
            size = try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
        } catch {
            throw ONNXError("cannot read \(url.path): no such file")
        }
        guard size <= maximumBytes else {
            throw ONNXError("\(url.path) is \(size) bytes, over the 2 GiB protobuf limit")
        }
        let data = try Data(contentsOf: url)
        return try decodeModel(data, source: url.path)
    }

    /// Decodes a serialized `ModelProto`; `source` names it in errors.
    public static func decodeModel(_ data: Data, source: String = "model") throws -> Onnx_ModelProto {
        do {
            return try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ONNXError("\(source) is not an ONNX model: the protobuf does not decode (\(error))")
        }
    }

    /// Writes `model` to `url` atomically: a reader never sees half a file.
    public static func write(_ model: Onnx_ModelProto, to url: URL) throws {
        let data: Data = try model.serializedBytes()
        try data.write(to: url, options: .atomic)
    }
}
