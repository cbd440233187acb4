import Foundation

/// One tensor's entry in a safetensors header, checked: a supported dtype, a shape of
/// non-negative dimensions whose byte size fits in `Int`, and a byte range inside the data section
/// exactly that long.
struct SafetensorsEntry {
    var name: String
    var dtype: Safetensors.DType
    var shape: [Int]
    var elementCount: Int
    /// Byte range relative to the start of the data section.
    var range: Range<Int>
}

/// A safetensors header, read and checked against the format (github.com/huggingface/safetensors):
/// the header is a JSON object; each entry other than `__metadata__` has exactly `dtype`, `shape`
/// and `data_offsets`; the tensors' byte ranges do not overlap and together cover the whole data
/// section, with no gaps and nothing after the last one (so no bytes hide in a file unseen).
struct SafetensorsHeader {
    /// The largest header accepted, as in the reference implementation: far beyond any real
    /// model's, and a bound on what a hostile length field can make the reader parse.
    static let maximumLength = 100_000_000

    var entries: [SafetensorsEntry]
    var metadata: [String: String]

    /// Reads the header JSON `bytes` for a data section of `dataLength` bytes. Errors are phrases
    /// for `CheckpointError` (the caller adds the file name).
    init(json bytes: UnsafeRawBufferPointer, dataLength: Int) throws(HeaderProblem) {
        let root: HeaderJSON
        do { root = try HeaderJSONParser.parse(bytes) } catch let error as HeaderSyntaxError {
            throw HeaderProblem("header is not valid JSON: \(error.message) (at byte \(error.offset) of the header)")
        } catch {
            throw HeaderProblem("header is not valid JSON")
        }
        guard case let .object(members) = root else {
            throw HeaderProblem("header is \(root.kind), expected a JSON object mapping tensor names to entries")
        }
        entries = []
        entries.reserveCapacity(members.count)
        metadata = [:]
        for member in members {
            let (name, value) = (member.key, member.value)
            if name == "__metadata__" {
                metadata = try Self.metadata(value)
            } else {
                try entries.append(Self.entry(name, value, dataLength: dataLength))
            }
        }
        try Self.checkLayout(entries, dataLength: dataLength)
    }

    private static func metadata(_ value: HeaderJSON) throws(HeaderProblem) -> [String: String] {
        guard case let .object(members) = value else {
            throw HeaderProblem("__metadata__ is \(value.kind), expected an object of strings")
        }
        var result: [String: String] = [:]
        for member in members {
            let (key, item) = (member.key, member.value)
            guard case let .string(text) = item else {
                throw HeaderProblem("__metadata__ value of \(quoted(key)) is \(item.kind), expected a string")
            }
            result[key] = text
        }
        return result
    }

    private static func entry(_ name: String, _ value: HeaderJSON, dataLength: Int) throws(HeaderProblem) -> SafetensorsEntry {
        func fail(_ why: String) -> HeaderProblem { HeaderProblem("tensor \(quoted(name)): \(why)") }
        guard case let .object(members) = value else { throw fail("entry is \(value.kind), expected an object with dtype, shape and data_offsets") }
        var fields: [String: HeaderJSON] = [:]
        for member in members {
            let (key, item) = (member.key, member.value)
            guard ["dtype", "shape", "data_offsets"].contains(key) else {
                throw fail("unexpected field \(quoted(key)) (an entry has only dtype, shape and data_offsets)")
            }
            fields[key] = item
        }
        guard let dtypeValue = fields["dtype"], let shapeValue = fields["shape"], let offsetsValue = fields["data_offsets"] else {
            let missing = ["dtype", "shape", "data_offsets"].filter { fields[$0] == nil }
            throw fail("entry lacks \(missing.joined(separator: " and "))")
        }

        guard case let .string(dtypeName) = dtypeValue else { throw fail("dtype is \(dtypeValue.kind), expected a string such as \"F32\"") }
        guard let dtype = Safetensors.DType(rawValue: dtypeName) else {
            throw fail("dtype \(quoted(dtypeName)) is not supported (Fovea reads \(Safetensors.DType.supportedList))")
        }

        guard case let .array(dimensions) = shapeValue else { throw fail("shape is \(shapeValue.kind), expected an array of dimensions") }
        var shape: [Int] = []
        shape.reserveCapacity(dimensions.count)
        for dimension in dimensions {
            guard let size = dimension.nonNegativeInt else {
                throw fail("shape has \(dimension.kind), expected non-negative integers below 2^63")
            }
            shape.append(size)
        }
        // Multiply with overflow checks: a shape like [2^62, 4] must not wrap to a small count.
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw fail("shape \(shape) is too large (more than \(Int.max) elements)") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteWidth)
        guard !overflow else { throw fail("shape \(shape) of \(dtype.rawValue) is too large (more than \(Int.max) bytes)") }

        guard case let .array(offsets) = offsetsValue, offsets.count == 2 else {
            let found = if case let .array(items) = offsetsValue { "\(items.count) values" } else { offsetsValue.kind }
            throw fail("data_offsets is \(found), expected 2 integers [begin, end]")
        }
        guard let begin = offsets[0].nonNegativeInt, let end = offsets[1].nonNegativeInt else {
            let bad = offsets[0].nonNegativeInt == nil ? offsets[0] : offsets[1]
            throw fail("data_offsets has \(bad.kind), expected non-negative integers below 2^63")
        }
        guard begin <= end else { throw fail("data_offsets [\(begin), \(end)] end before they begin") }
        guard end <= dataLength else {
            throw fail("data_offsets [\(begin), \(end)] reach past the \(dataLength) bytes of data; the file is truncated or corrupt")
        }
        guard end - begin == byteCount else {
            throw fail("\(dtype.rawValue) \(shape) needs \(byteCount) bytes, but data_offsets [\(begin), \(end)] span \(end - begin)")
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, elementCount: count, range: begin..<end)
    }

    /// The ranges, in order, must tile `0..<dataLength` exactly (empty tensors may sit anywhere
    /// between others).
    private static func checkLayout(_ entries: [SafetensorsEntry], dataLength: Int) throws(HeaderProblem) {
        let ordered = entries.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        var covered = 0
        var previous: SafetensorsEntry?
        for entry in ordered {
            if entry.range.lowerBound < covered, let previous {
                throw HeaderProblem("tensors \(quoted(previous.name)) (bytes \(previous.range)) and \(quoted(entry.name)) (bytes \(entry.range)) overlap")
            }
            if entry.range.lowerBound > covered {
                throw HeaderProblem("bytes \(covered)..<\(entry.range.lowerBound) of the data section belong to no tensor")
            }
            covered = entry.range.upperBound
            if !entry.range.isEmpty { previous = entry }
        }
        guard covered == dataLength else {
            throw HeaderProblem("\(dataLength - covered) bytes of data after the last tensor (it ends at \(covered) of \(dataLength)); the file is corrupt")
        }
    }
}

/// `text` in single quotes for an error message; see `messageSafe(_:)`.
func quoted(_ text: String) -> String { "'\(messageSafe(text))'" }

/// `text` fit for a one-line error message: control and line-separator characters escaped
/// (`\n`), and anything past 100 characters cut, since names and strings come from the file.
public func messageSafe(_ text: String) -> String {
    var result = ""
    for (index, scalar) in text.unicodeScalars.enumerated() {
        if index == 100 { result += "…"; break }
        let breaksLine = scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
        result += breaksLine ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return result
}

/// Why a safetensors header is unusable, as a phrase for `CheckpointError`.
struct HeaderProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
