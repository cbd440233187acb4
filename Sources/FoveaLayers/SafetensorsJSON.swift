import Foundation

/// A JSON value exactly as a safetensors header wrote it.
///
/// Numbers keep their text: `JSONSerialization` turns `1180591620717411303424` (2^70) into a
/// `Double` whose `intValue` wraps, and `2.0` or `true` into numbers that pass for integers, so
/// offsets and shapes could silently change meaning. Keeping the literal lets the header reader
/// accept only plain non-negative integers that fit in `Int`, and quote anything else.
enum HeaderJSON {
    /// Members in file order; keys are unique (the parser rejects repeats).
    case object([HeaderMember])
    case array([HeaderJSON])
    case string(String)
    /// The number's text as written (`12`, `-6`, `2.0`, `8e0`).
    case number(String)
    case bool(Bool)
    case null

    /// What kind of value this is, for error messages ("found a string").
    var kind: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case let .number(text): text.count > 40 ? "a \(text.count)-character number" : text
        case let .bool(value): "\(value)"
        case .null: "null"
        }
    }

    /// The value as a non-negative `Int`, when it is written as one (digits only) and fits.
    var nonNegativeInt: Int? {
        guard case let .number(text) = self, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(text)  // nil when larger than Int.max
    }
}

/// One `"key": value` member of a JSON object.
struct HeaderMember {
    var key: String
    var value: HeaderJSON
}

/// A syntax error in the header, with the byte offset where it was found.
struct HeaderSyntaxError: Error {
    var offset: Int
    var message: String
}

/// A strict JSON parser (RFC 8259) for safetensors headers: no comments, no trailing commas, no
/// repeated keys, valid UTF-8 strings, and nesting limited so a header of a million `[` cannot
/// exhaust the stack.
struct HeaderJSONParser {
    /// Deeper than any real header needs (they nest 3 levels).
    static let maximumDepth = 32
    /// The only arrays in a header are shapes and offset pairs; this bounds how much memory a
    /// header of `[1,1,1,…]` can make the parsed form take (each value costs more than its 2 bytes).
    static let maximumArrayLength = 1024

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    /// Parses `bytes` as one JSON value followed only by whitespace (the format pads the header with spaces).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> HeaderJSON {
        var parser = HeaderJSONParser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private func error(_ message: String) -> HeaderSyntaxError { HeaderSyntaxError(offset: position, message: message) }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// "character 'x'" for printable ASCII, else "byte 0xNN".
    private func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "character '\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard current == byte else { throw error("expected \(what)") }
        position += 1
    }

    private mutating func value(depth: Int) throws -> HeaderJSON {
        guard depth < Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
        skipWhitespace()
        guard let byte = current else { throw error("unexpected end of the header") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return try .string(string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try .number(number())
        default: throw error("unexpected \(describe(byte))")
        }
    }

    private mutating func object(depth: Int) throws -> HeaderJSON {
        position += 1  // {
        var members: [HeaderMember] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = position
            let key = try string()
            guard seen.insert(key).inserted else {
                throw HeaderSyntaxError(offset: keyOffset, message: "key \(quoted(key)) appears twice")
            }
            try expect(UInt8(ascii: ":"), "':' after a key")
            members.append(HeaderMember(key: key, value: try value(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected ',' or '}' in an object")
        }
    }

    private mutating func array(depth: Int) throws -> HeaderJSON {
        position += 1  // [
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            guard elements.count < Self.maximumArrayLength else { throw error("array longer than \(Self.maximumArrayLength) values") }
            try elements.append(value(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw error("expected ',' or ']' in an array")
        }
    }

    private mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard current == byte else { throw error("unexpected character (expected \(word))") }
            position += 1
        }
    }

    /// A number's text, checked against JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws -> String {
        let start = position
        func digits() -> Int {
            let from = position
            while let byte = current, byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { position += 1 }
            return position - from
        }
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else if digits() == 0 {
            throw error("invalid number")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error("invalid number: no digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("invalid number: no digits in the exponent") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func string() throws -> String {
        let start = position
        position += 1  // "
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw HeaderSyntaxError(offset: start, message: "unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(bytes: utf8, encoding: .utf8) else {
                    throw HeaderSyntaxError(offset: start, message: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0..<0x20:
                throw error("control character in a string")
            default:
                utf8.append(byte)
            }
        }
    }

    /// Decodes the escape after a backslash, appending its UTF-8.
    private mutating func escape(into utf8: inout [UInt8]) throws {
        guard let byte = current else { throw error("unterminated escape") }
        position += 1
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
        if let replacement = simple[byte] { utf8.append(replacement); return }
        guard byte == UInt8(ascii: "u") else { throw error("invalid escape: backslash then \(describe(byte))") }
        var code = try UInt32(hex4())
        if (0xD800..<0xDC00).contains(code) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard current == UInt8(ascii: "\\") else { throw error("unpaired surrogate in \\u escape") }
            position += 1
            guard current == UInt8(ascii: "u") else { throw error("unpaired surrogate in \\u escape") }
            position += 1
            let low = try UInt32(hex4())
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
            code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("unpaired surrogate in \\u escape") }
        utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func hex4() throws -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw error("invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
