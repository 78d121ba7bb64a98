/// A JSON value from a checkpoint header or index file.
///
/// We parse these ourselves rather than with JSONSerialization because the input is untrusted
/// and we need exact answers it does not give: integers kept apart from floats and booleans
/// (NSNumber blurs them), duplicate keys reported, and a nesting limit so a hostile header of
/// a million `[` cannot exhaust the stack.
public enum JSONValue: Equatable, Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// A number written without fraction or exponent that fits in Int.
    case integer(Int)
    /// Any other number.
    case number(Double)
    case bool(Bool)
    case null

    public var kindName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .integer, .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// Parses one JSON document; trailing whitespace is allowed (safetensors pads with spaces).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.document()
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse($0) }
    }
}

/// Why a document is not the JSON we accept; `offset` is the byte where parsing stopped.
public struct JSONParseError: Error, Equatable, Sendable {
    public let message: String
    public let offset: Int
    public var description: String { "\(message) at byte \(offset)" }
}

struct JSONParser {
    /// Deeper than any real header or index (they nest 3 levels), shallow enough for any stack.
    static let maxDepth = 64

    let bytes: UnsafeRawBufferPointer
    var at = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func document() throws -> JSONValue {
        let value = try value(depth: 0)
        skipWhitespace()
        if at != bytes.count { throw fail("unexpected text after the JSON value") }
        return value
    }

    private func fail(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: at)
    }

    private var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func skipWhitespace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { at += 1 }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws {
        skipWhitespace()
        guard peek == c else { throw fail(peek == nil ? "unexpected end of JSON, expected \(what)" : "expected \(what)") }
        at += 1
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        if depth > JSONParser.maxDepth { throw fail("JSON nested deeper than \(JSONParser.maxDepth) levels") }
        skipWhitespace()
        guard let c = peek else { throw fail("unexpected end of JSON") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character in JSON")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard at + n <= bytes.count else { throw fail("unexpected end of JSON") }
        for k in 0..<n where bytes[at + k] != word.utf8Start[k] { throw fail("unexpected character in JSON") }
        at += n
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        at += 1 // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") { at += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a quoted key in JSON object") }
            let keyStart = at
            let key = try string()
            try expect(UInt8(ascii: ":"), "':' after object key")
            let member = try value(depth: depth + 1)
            if members.updateValue(member, forKey: key) != nil {
                at = keyStart
                throw fail("duplicate key \"\(key)\" in JSON object")
            }
            skipWhitespace()
            guard let c = peek else { throw fail("unexpected end of JSON inside an object") }
            at += 1
            if c == UInt8(ascii: "}") { return .object(members) }
            if c != UInt8(ascii: ",") { at -= 1; throw fail("expected ',' or '}' in JSON object") }
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        at += 1 // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") { at += 1; return .array(elements) }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            guard let c = peek else { throw fail("unexpected end of JSON inside an array") }
            at += 1
            if c == UInt8(ascii: "]") { return .array(elements) }
            if c != UInt8(ascii: ",") { at -= 1; throw fail("expected ',' or ']' in JSON array") }
        }
    }

    private mutating func string() throws -> String {
        at += 1 // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let c = peek else { throw fail("unterminated JSON string") }
            at += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw fail("JSON string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0x00..<0x20:
                at -= 1
                throw fail("control character inside a JSON string")
            default:
                utf8.append(c)
            }
        }
    }

    private mutating func escape(into utf8: inout [UInt8]) throws {
        guard let c = peek else { throw fail("unterminated JSON string") }
        at += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(c)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                    throw fail("unpaired surrogate in JSON string")
                }
                at += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate in JSON string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw fail("unpaired surrogate in JSON string")
            }
            guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape in JSON string") }
            utf8.append(contentsOf: Array(String(Character(u)).utf8))
        default:
            at -= 1
            throw fail("invalid escape in JSON string")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw fail("unterminated \\u escape in JSON string") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[at]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape in JSON string")
            }
            v = v * 16 + digit
            at += 1
        }
        return v
    }

    private mutating func number() throws -> JSONValue {
        let start = at
        var isInteger = true
        if peek == UInt8(ascii: "-") { at += 1 }
        guard let first = peek, isDigit(first) else { throw fail("invalid number in JSON") }
        if first == UInt8(ascii: "0") {
            at += 1
            if let c = peek, isDigit(c) { throw fail("number with a leading zero in JSON") }
        } else {
            skipDigits()
        }
        if peek == UInt8(ascii: ".") {
            isInteger = false
            at += 1
            guard let c = peek, isDigit(c) else { throw fail("invalid number in JSON") }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            at += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
            guard let c = peek, isDigit(c) else { throw fail("invalid number in JSON") }
            skipDigits()
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        if isInteger, let n = Int(text) { return .integer(n) }
        guard let d = Double(text) else { throw fail("invalid number in JSON") }
        return .number(d)
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while let c = peek, isDigit(c) { at += 1 }
    }
}
