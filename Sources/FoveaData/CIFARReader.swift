import Foundation

/// Which CIFAR binary format a file is in (Krizhevsky 2009, "Learning Multiple Layers of Features
/// from Tiny Images"; https://www.cs.toronto.edu/~kriz/cifar.html).
public enum CIFARVariant: Sendable {
    /// Records of 1 label byte + 3072 pixel bytes.
    case cifar10
    /// Records of 1 coarse-label byte + 1 fine-label byte + 3072 pixel bytes.
    case cifar100

    /// Label bytes at the start of each record.
    public var labelBytes: Int { self == .cifar10 ? 1 : 2 }
    /// Bytes per record: labels, then a 32×32 image as 1024 red, 1024 green and 1024 blue bytes.
    public var recordSize: Int { labelBytes + CIFARReader.imageBytes }
    /// Number of (fine) classes.
    public var classCount: Int { self == .cifar10 ? 10 : 100 }
}

/// The records of one CIFAR binary file.
public struct CIFARRecords: Sendable, Equatable {
    /// Pixels `(N, 3, 32, 32)`, one byte per value.
    public var pixels: [UInt8]
    /// The label of each record: CIFAR-10's label or CIFAR-100's fine label; `(N)`.
    public var labels: [Int]
    /// CIFAR-100's coarse (superclass) labels; empty for CIFAR-10.
    public var coarseLabels: [Int]
    /// Number of records.
    public var count: Int { labels.count }
}

/// Reads CIFAR-10 and CIFAR-100 binary files (`data_batch_1.bin`, `test_batch.bin`, `train.bin`…).
///
/// A file is a plain sequence of fixed-size records; its length must be a positive multiple of
/// the record size and every label must be in range, or a `DataError` names the file.
public enum CIFARReader {
    /// Bytes of one image: 3 channels × 32 × 32, channel-major (already CHW).
    public static let imageBytes = 3 * 32 * 32

    /// Reads every record of the file at `url` (raw, or gzip-compressed).
    public static func read(_ url: URL, variant: CIFARVariant) throws -> CIFARRecords {
        try read(GzipStream(url), variant: variant)
    }

    /// Reads every record from the bytes of a CIFAR file (raw, or gzip-compressed); `name` heads
    /// every error. Any input either reads or throws a `DataError`.
    public static func read(data: Data, name: String, variant: CIFARVariant) throws -> CIFARRecords {
        try read(GzipStream(data: data, name: name), variant: variant)
    }

    private static func read(_ stream: GzipStream, variant: CIFARVariant) throws -> CIFARRecords {
        let (bytes, problem) = stream.readToEnd()
        let name = stream.name
        let size = variant.recordSize
        let (records, leftover) = bytes.count.quotientAndRemainder(dividingBy: size)
        if let problem {
            throw DataError(file: name, "gzip stream is \(problem.truncated ? "truncated" : "corrupt") after \(bytes.count) bytes (\(records) whole \(size)-byte records)\(problem.note)")
        }
        guard !bytes.isEmpty else {
            throw DataError(file: name, "declares 0 images: the file is empty (a \(variant == .cifar10 ? "CIFAR-10" : "CIFAR-100") file holds \(size)-byte records)")
        }
        guard leftover == 0 else {
            throw DataError(file: name, "expected whole \(size)-byte records, file has \(records) records and \(leftover) bytes left over (truncated, or not a \(variant == .cifar10 ? "CIFAR-10" : "CIFAR-100") file)")
        }
        var result = CIFARRecords(pixels: [], labels: [], coarseLabels: [])
        result.pixels.reserveCapacity(records * imageBytes)
        result.labels.reserveCapacity(records)
        for r in 0..<records {
            let start = r * size
            let fine = Int(bytes[start + variant.labelBytes - 1])
            guard fine < variant.classCount else {
                throw DataError(file: name, "record \(r) has label \(fine), expected 0..<\(variant.classCount)")
            }
            if variant == .cifar100 {
                let coarse = Int(bytes[start])
                guard coarse < 20 else { throw DataError(file: name, "record \(r) has coarse label \(coarse), expected 0..<20") }
                result.coarseLabels.append(coarse)
            }
            result.labels.append(fine)
            result.pixels.append(contentsOf: bytes[start + variant.labelBytes..<start + size])
        }
        return result
    }
}
