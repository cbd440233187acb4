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
    public static func write(_ tensors: StateDict, metadata: [String: String] = [:], to url: URL) throws {
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

    /// Reads every tensor from `url`; see `read(data:name:)`. A file that cannot be read throws a
    /// `CheckpointError` with its path and a short reason ("file not found", "permission denied").
    public static func read(_ url: URL) throws -> (tensors: StateDict, metadata: [String: String]) {
        let file: Data
        do { file = try Data(contentsOf: url) } catch {
            throw CheckpointError(file: url.path, ErrorPhrase.fileRead(error))
        }
        return try read(data: file, name: url.path)
    }

    /// Reads every tensor, in the header's order, from the bytes of a safetensors file, converting each to `Float`; `name`
    /// (the file's path) heads every error.
    ///
    /// Nothing in the file is trusted: the header length is capped, the header must be strict JSON,
    /// every entry needs a supported dtype (`DType`), a shape of non-negative integers and exactly
    /// the byte range that shape needs, and the ranges must tile the data section. Anything else
    /// throws a one-line `CheckpointError` naming the file and the tensor; memory is allocated
    /// only for tensors whose bytes are present.
    public static func read(data file: Data, name: String) throws -> (tensors: StateDict, metadata: [String: String]) {
        func fail(_ why: String) -> CheckpointError { CheckpointError(file: name, why) }
        guard file.count >= 8 else { throw fail("is \(file.count) bytes, too short for a safetensors header") }
        return try file.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> (tensors: StateDict, metadata: [String: String]) in
            let headerLength = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            guard headerLength <= UInt64(SafetensorsHeader.maximumLength) else {
                throw fail("header length \(headerLength) exceeds the \(SafetensorsHeader.maximumLength)-byte limit; the file is corrupt or not safetensors")
            }
            guard headerLength <= UInt64(raw.count - 8) else {
                throw fail("header claims \(headerLength) bytes but the file has \(raw.count - 8) after the length; the file is truncated or not safetensors")
            }
            let dataStart = 8 + Int(headerLength)
            let header: SafetensorsHeader
            do throws(HeaderProblem) {
                header = try SafetensorsHeader(json: UnsafeRawBufferPointer(rebasing: raw[8..<dataStart]), dataLength: raw.count - dataStart)
            } catch { throw fail(error.message) }
            var tensors = StateDict()
            for entry in header.entries {
                let bytes = UnsafeRawBufferPointer(rebasing: raw[(dataStart + entry.range.lowerBound)..<(dataStart + entry.range.upperBound)])
                tensors[entry.name] = Tensor(shape: entry.shape) { entry.dtype.decode(bytes, into: $0) }
            }
            return (tensors, header.metadata)
        }
    }
}
