import Foundation

/// The element type named by the third byte of an IDX file's magic number.
public enum IDXDataType: UInt8, Sendable, CaseIterable {
    case uint8 = 0x08
    case int8 = 0x09
    case int16 = 0x0B
    case int32 = 0x0C
    case float32 = 0x0D
    case float64 = 0x0E

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .uint8, .int8: 1
        case .int16: 2
        case .int32, .float32: 4
        case .float64: 8
        }
    }
}

/// The contents of one IDX file: element type, dimensions and the raw payload.
public struct IDXFile: Sendable, Equatable {
    /// The element type from the magic number.
    public var dataType: IDXDataType
    /// The dimensions, outermost first (`[60000, 28, 28]` for MNIST training images).
    public var dimensions: [Int]
    /// The payload exactly as stored: row-major, multi-byte elements big-endian.
    public var data: [UInt8]

    /// Number of elements (the product of `dimensions`), or nil when a dimension is negative or
    /// the product does not fit in `Int` (possible only for a hand-made `IDXFile`: the reader
    /// checks both).
    public var elementCount: Int? {
        var count = 1
        for size in dimensions {
            guard size >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// The elements converted to `Float`, decoding big-endian multi-byte types. Throws a
    /// `DataError` when `data` does not hold exactly the elements `dimensions` declare.
    public func floatValues() throws -> [Float] {
        let width = dataType.byteWidth
        guard let count = elementCount, case let (bytes, false) = count.multipliedReportingOverflow(by: width), bytes == data.count else {
            throw DataError(file: "IDX data", "dimensions \(dimensions) of \(dataType) need \(elementCount.map { "\($0) elements" } ?? "more than \(Int.max) elements"), the payload has \(data.count) bytes")
        }
        return data.withUnsafeBufferPointer { data in
            (0..<count).map { i in
                var bits: UInt64 = 0
                for k in 0..<width { bits = bits << 8 | UInt64(data[i * width + k]) }
                switch dataType {
                case .uint8: return Float(UInt8(bits))
                case .int8: return Float(Int8(bitPattern: UInt8(bits)))
                case .int16: return Float(Int16(bitPattern: UInt16(bits)))
                case .int32: return Float(Int32(bitPattern: UInt32(bits)))
                case .float32: return Float(bitPattern: UInt32(bits))
                case .float64: return Float(Double(bitPattern: bits))
                }
            }
        }
    }
}

/// Reads IDX files, the format of MNIST, Fashion-MNIST, KMNIST and EMNIST, gzip-compressed or raw.
///
/// Layout (all integers big-endian): the magic `0x00 0x00 <type> <ndims>`, then `ndims` 32-bit
/// dimension sizes, then the elements in row-major order. Every size is checked against the bytes
/// actually present: a short, over-long or malformed file throws a `DataError` naming the file.
public enum IDXReader {
    /// Reads the IDX file at `url` (gzip-compressed or not; zlib tells them apart by content).
    /// `elementName` names the payload in error messages ("pixels", "labels").
    public static func read(_ url: URL, elementName: String = "data") throws -> IDXFile {
        try read(GzipStream(url), elementName: elementName)
    }

    /// Reads an IDX file from its bytes (gzip-compressed or not); `name` heads every error.
    /// Any input either reads or throws a `DataError`; memory grows only as data arrives, so a
    /// header claiming gigabytes costs nothing until they are there.
    public static func read(data: Data, name: String, elementName: String = "data") throws -> IDXFile {
        try read(GzipStream(data: data, name: name), elementName: elementName)
    }

    private static func read(_ stream: GzipStream, elementName: String) throws -> IDXFile {
        let name = stream.name
        func fail(_ message: String) -> DataError { DataError(file: name, message) }
        /// Exactly `count` bytes of `what`, or an error saying where the file ends or breaks.
        func read(_ count: Int, of what: String) throws -> [UInt8] {
            let (bytes, problem) = stream.read(count: count)
            if let problem, !problem.truncated {
                throw fail("compressed data is corrupt, \(bytes.count) of the \(count) bytes of \(what) read\(problem.note)")
            }
            guard bytes.count == count else {
                throw fail("expected \(count) bytes of \(what), file ends after \(bytes.count)\(problem?.note ?? "")")
            }
            return bytes
        }

        let magic = try read(4, of: "IDX magic number")
        guard magic[0] == 0, magic[1] == 0 else {
            let hex = magic.map { String(format: "%02x", $0) }.joined(separator: " ")
            throw fail("not an IDX file: magic number starts \(hex), expected 00 00 <type> <ndims>")
        }
        guard let dataType = IDXDataType(rawValue: magic[2]) else {
            throw fail(String(format: "unknown IDX element type 0x%02x (expected 08, 09, 0b, 0c, 0d or 0e)", magic[2]))
        }
        let rank = Int(magic[3])
        guard rank >= 1 else { throw fail("IDX header declares 0 dimensions") }

        let header = try read(4 * rank, of: "dimension sizes (\(rank) × 4) after the magic number")
        let dimensions = (0..<rank).map { d in
            header[4 * d..<4 * d + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        var expected = dataType.byteWidth
        for size in dimensions {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("dimensions \(dimensions) are too large") }
            expected = product
        }

        let data = try read(expected, of: "\(elementName) for dimensions \(dimensions)")
        // Reading on reaches the gzip trailer, where zlib checks the CRC and length of what it inflated.
        let (extra, trailerProblem) = stream.read(count: 1)
        if let trailerProblem {
            throw fail(trailerProblem.truncated
                ? "all \(expected) bytes of \(elementName) are present, but the gzip trailer is cut short (truncated file)\(trailerProblem.note)"
                : "all \(expected) bytes of \(elementName) inflated, but the gzip integrity check failed (corrupt file)\(trailerProblem.note)")
        }
        guard extra.isEmpty else {
            let (rest, restProblem) = stream.readToEnd()
            if let restProblem, !restProblem.truncated {
                throw fail("compressed data is corrupt: it inflates past the \(expected) bytes of \(elementName) and fails zlib's checks\(restProblem.note)")
            }
            throw fail("\(1 + rest.count) unexpected bytes after the \(expected) bytes of \(elementName) for dimensions \(dimensions)")
        }
        return IDXFile(dataType: dataType, dimensions: dimensions, data: data)
    }

    /// Reads the IDX file at `path`; see `read(_:elementName:)`.
    public static func read(path: String, elementName: String = "data") throws -> IDXFile {
        try read(URL(fileURLWithPath: path), elementName: elementName)
    }
}
