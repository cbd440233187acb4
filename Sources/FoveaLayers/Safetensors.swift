import Foundation
import FoveaTensor

/// Reads and writes the safetensors format (the one PyTorch and Hugging Face use for weights):
/// an 8-byte little-endian header length, a JSON header mapping each name to its dtype, shape and
/// byte range, then the raw little-endian data.
///
/// Fovea writes F32 tensors (and `num_batches_tracked` as I64, as PyTorch stores it); it reads F32,
/// F64, F16, BF16 and I64 and converts to Float32.
public enum Safetensors {
    /// Writes `tensors` (in order) and string metadata to `url` atomically: a temporary file in the
    /// same folder is written, flushed to disk and renamed over the target, so a crash never leaves
    /// a half-written file.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to url: URL) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var body = Data()
        for (name, t) in tensors {
            let start = body.count
            if name.hasSuffix("num_batches_tracked") {
                for v in t.storage { withUnsafeBytes(of: Int64(v).littleEndian) { body.append(contentsOf: $0) } }
                header[name] = ["dtype": "I64", "shape": t.shape, "data_offsets": [start, body.count]] as [String: Any]
            } else {
                t.storage.withUnsafeBytes { raw in
                    if Int(littleEndian: 1) == 1 { body.append(contentsOf: raw) }
                    else { for v in t.storage { withUnsafeBytes(of: v.bitPattern.littleEndian) { body.append(contentsOf: $0) } } }
                }
                header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [start, body.count]] as [String: Any]
            }
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data starts 8-byte aligned (allowed by the format).
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var file = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        file.append(body)
        try writeAtomically(file, to: url)
    }

    /// Reads every tensor from `url`, checking the header and byte ranges. Errors name the file.
    public static func read(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file: Data
        do { file = try Data(contentsOf: url) } catch {
            throw CheckpointError(file: url.path, "cannot be read (\(error.localizedDescription))")
        }
        func fail(_ why: String) -> CheckpointError { CheckpointError(file: url.path, why) }
        guard file.count >= 8 else { throw fail("is \(file.count) bytes, too short for a safetensors header") }
        let headerLength = file.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(file.count - 8) else {
            throw fail("header claims \(headerLength) bytes but the file has \(file.count - 8) after the length; the file is truncated or not safetensors")
        }
        let dataStart = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: file.subdata(in: 8..<dataStart)) as? [String: Any] else {
            throw fail("header is not a JSON object; the file is corrupt or not safetensors")
        }
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" { metadata = value as? [String: String] ?? [:]; continue }
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = (entry["shape"] as? [NSNumber])?.map(\.intValue),
                  let offsets = (entry["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2 else {
                throw fail("entry \(name) lacks dtype, shape or data_offsets")
            }
            let count = shape.reduce(1, *)
            guard let width = ["F32": 4, "F64": 8, "F16": 2, "BF16": 2, "I64": 8][dtype] else {
                throw fail("tensor \(name) has unsupported dtype \(dtype)")
            }
            guard offsets[0] >= 0, offsets[1] == offsets[0] + count * width, dataStart + offsets[1] <= file.count else {
                throw fail("tensor \(name) (\(dtype) \(shape)) needs bytes \(offsets[0])..<\(offsets[1]) of data but the file has \(file.count - dataStart); it is truncated or corrupt")
            }
            let bytes = file.subdata(in: (dataStart + offsets[0])..<(dataStart + offsets[1]))
            let values: [Float] = bytes.withUnsafeBytes { raw in
                (0..<count).map { i in
                    switch dtype {
                    case "F32": return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    case "F64": return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                    case "I64": return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                    case "BF16": return Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                    default: return halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                }
            }
            tensors[name] = Tensor(shape: shape, storage: values)
        }
        return (tensors, metadata)
    }

    private static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1F), mantissa = Float(h & 0x3FF)
        if exponent == 0 { return sign * mantissa * 0x1p-24 }
        if exponent == 31 { return mantissa == 0 ? sign * .infinity : .nan }
        return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}

/// A weights or checkpoint file that cannot be used, naming the file and what is wrong.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String
    public init(file: String, _ message: String) { self.file = file; self.message = message }
    public var description: String { "\(file): \(message)" }
}

extension Module {
    /// Saves the state dictionary (torchvision key names) as safetensors, atomically.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDict(), metadata: metadata, to: url)
    }

    /// Loads weights saved by `save(to:)` or converted from a torchvision model. Missing, unexpected
    /// and mis-shaped tensors are all listed; nothing changes unless everything fits.
    public func load(from url: URL) throws {
        let (tensors, _) = try Safetensors.read(url)
        do { try loadStateDict(tensors) } catch let error as StateDictError {
            throw CheckpointError(file: url.path, error.description)
        }
    }
}
