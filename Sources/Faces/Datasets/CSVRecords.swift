import Foundation

/// One record of a CSV file: its unquoted fields and the line it starts on (1-based, for warnings).
struct CSVRecord {
    var line: Int
    var fields: [String]
    /// Set when the record is cut short by an unterminated quote at the end of the file.
    var problem: String?
}

/// RFC 4180 CSV, read in one pass over the bytes: quoted fields may hold commas, doubled quotes and
/// line breaks; CRLF and LF both end a record; a UTF-8 byte-order mark and blank lines are skipped.
/// Streams records to `body` so a 300 MB FER2013 file is never held twice as strings.
func forEachCSVRecord(_ data: Data, _ body: (CSVRecord) throws -> Void) rethrows {
    try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let bytes = raw.bindMemory(to: UInt8.self)
        var position = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        var line = 1
        while position < bytes.count {
            let startLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var problem: String?
            var endOfRecord = false
            while !endOfRecord {
                field.removeAll(keepingCapacity: true)
                if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                    position += 1
                    var closed = false
                    while position < bytes.count {
                        let byte = bytes[position]
                        if byte == UInt8(ascii: "\"") {
                            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                                field.append(byte)
                                position += 2
                                continue
                            }
                            position += 1
                            closed = true
                            break
                        }
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        field.append(byte)
                        position += 1
                    }
                    if !closed { problem = "unterminated quoted field" }
                }
                // Unquoted part (or junk after a closing quote, kept rather than rejected). Scanned,
                // then decoded in one piece: FER2013's 9 KB pixel fields make this the hot path.
                let start = position
                while position < bytes.count {
                    let byte = bytes[position]
                    if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                    position += 1
                }
                let unquoted = UnsafeBufferPointer(rebasing: bytes[start..<position])
                if position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else {
                    endOfRecord = true
                }
                if field.isEmpty {
                    fields.append(String(decoding: unquoted, as: UTF8.self))
                } else {
                    field.append(contentsOf: unquoted)
                    fields.append(String(decoding: field, as: UTF8.self))
                }
            }
            // Consume the line ending.
            if position < bytes.count, bytes[position] == UInt8(ascii: "\r") { position += 1 }
            if position < bytes.count, bytes[position] == UInt8(ascii: "\n") { position += 1 }
            line += 1
            let blank = fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty
            if !blank { try body(CSVRecord(line: startLine, fields: fields, problem: problem)) }
        }
    }
}

/// Column positions by lower-cased, trimmed header name.
struct CSVHeader {
    let columns: [String: Int]
    let count: Int

    init(_ fields: [String]) {
        var columns: [String: Int] = [:]
        for (index, name) in fields.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if columns[key] == nil { columns[key] = index }
        }
        self.columns = columns
        count = fields.count
    }

    subscript(name: String) -> Int? { columns[name] }

    func has(_ names: String...) -> Bool { names.allSatisfy { columns[$0] != nil } }
}

/// The first record of a CSV file, without reading the rest: enough to tell which layout it is.
func csvHeaderFields(of url: URL) -> [String]? {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
    defer { try? handle.close() }
    guard let chunk = try? handle.read(upToCount: 64 * 1024), !chunk.isEmpty else { return nil }
    let firstLine = chunk.prefix { $0 != UInt8(ascii: "\n") }
    var header: [String]?
    forEachCSVRecord(Data(firstLine)) { record in
        if header == nil { header = record.fields }
    }
    return header
}
