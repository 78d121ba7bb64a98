import Foundation

/// Writes safetensors files: test fixtures (including deliberately broken ones, made by editing
/// a good file's bytes) and, later, tools that export weights.
public enum SafetensorsWriter {
    public struct Entry: Sendable {
        public var name: String
        /// A safetensors dtype name; any string, so tests can write types facecap does not read.
        public var dtype: String
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        public init(_ view: TensorView) {
            self.init(name: view.name, dtype: view.dtype.rawValue, shape: view.shape, bytes: Array(view.rawBytes))
        }
    }

    /// The whole file: tensors stored in the order given, keys sorted in the header, header padded
    /// with spaces to a multiple of 8 bytes so the data section starts 8-byte aligned.
    public static func encode(_ tensors: [Entry], metadata: [String: String] = [:]) -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        var described: [(String, String)] = []
        for tensor in tensors {
            let end = offset + tensor.bytes.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            described.append((tensor.name,
                "\(quoted(tensor.name)):{\"dtype\":\(quoted(tensor.dtype)),\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"))
            offset = end
        }
        fields += described.sorted { $0.0 < $1.0 }.map(\.1)
        var data: [UInt8] = []
        data.reserveCapacity(offset)
        for tensor in tensors { data += tensor.bytes }
        return assemble(header: "{\(fields.joined(separator: ","))}", data: data)
    }

    /// Length prefix + header (space-padded to a multiple of 8) + data, with no checking, so tests
    /// can build files whose header lies.
    public static func assemble(header: String, data: [UInt8], pad: Bool = true) -> [UInt8] {
        var headerBytes = Array(header.utf8)
        if pad {
            while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + data.count)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { out += $0 }
        out += headerBytes
        out += data
        return out
    }

    public static func write(tensors: [Entry], metadata: [String: String] = [:], to url: URL) throws {
        let bytes = encode(tensors, metadata: metadata)
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw InputError(url.path, "cannot write safetensors file: \(error.localizedDescription)")
        }
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension SafetensorsWriter {
    /// Writes tensors straight from their views (mapped checkpoints) to `url`, a tensor at a time,
    /// so a 17 GB model is never gathered in memory. Written to a temporary name and renamed at the
    /// end: an interrupted write leaves no truncated file under the final name.
    public static func stream(_ tensors: [TensorView], metadata: [String: String] = [:], to url: URL) throws {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for tensor in tensors {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(quoted(tensor.name)):{\"dtype\":\(quoted(tensor.dtype.rawValue)),\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + tensor.byteCount)]}")
            offset += tensor.byteCount
        }
        let partial = url.appendingPathExtension("partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial.path) else {
            throw InputError(url.path, "cannot create file")
        }
        do {
            defer { try? handle.close() }
            try handle.write(contentsOf: assemble(header: "{\(fields.joined(separator: ","))}", data: []))
            for tensor in tensors {
                // Chunks of 64 MiB: FileHandle copies what it is given, and a 1 GB Data would be a 1 GB copy.
                var start = 0
                while start < tensor.byteCount {
                    let n = min(64 << 20, tensor.byteCount - start)
                    try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: tensor.data + start), count: n, deallocator: .none))
                    start += n
                }
            }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw InputError(url.path, "cannot write safetensors file: \(error.localizedDescription)")
        }
        _ = try? FileManager.default.removeItem(at: url)
        try FileManager.default.moveItem(at: partial, to: url)
    }
}
