/// One `.safetensors` file: an 8-byte little-endian header length N, N bytes of JSON describing
/// each tensor (dtype, shape, byte range), then the tensor bytes. The tensors stay in the
/// mapped file; views point into it.
///
/// The whole header is checked before anything is exposed, so every later read is in bounds:
/// a corrupt or hostile file fails here with an `InputError` naming the file and the problem.
public final class SafetensorsFile: CheckpointFile, @unchecked Sendable {
    /// Larger headers are not checkpoints (the reference reader uses the same limit).
    public static let maxHeaderLength = 100_000_000

    public let file: MappedFile
    /// Views of every tensor facecap can read, backed by `file`.
    public let tensors: [String: TensorView]
    /// Tensors listed in the header with an element type facecap does not read (name -> dtype),
    /// e.g. an int64 `position_ids` buffer. The file still loads; asking for one throws.
    public let unsupported: [String: String]
    /// The free-form string map stored under `__metadata__`.
    public let metadata: [String: String]
    /// Every tensor name in the header, sorted (including those in `unsupported`).
    public let names: [String]
    /// Byte offset where the data section starts (8 + header length).
    public let dataStart: Int

    public var path: String { file.path }
    /// The header's JSON bytes, as stored.
    public var headerBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[8..<dataStart])
    }
    /// The data section: every tensor's bytes.
    public var dataBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[dataStart...])
    }
    public var descriptionBytes: UnsafeRawBufferPointer { headerBytes }
    public var fileSize: Int { file.count }

    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws {
        self.file = file
        let path = file.path
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw InputError(path, "file is \(bytes.count) bytes, too short for a safetensors header length (8 bytes)")
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(SafetensorsFile.maxHeaderLength) else {
            throw InputError(path, "header length \(declared) is absurd (limit \(SafetensorsFile.maxHeaderLength) bytes); not a safetensors file?")
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw InputError(path, "header length \(headerLength) runs past the end of the \(bytes.count)-byte file; truncated, or not a safetensors file")
        }
        dataStart = 8 + headerLength
        let header = UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart])
        guard String(validating: header, as: UTF8.self) != nil else {
            throw InputError(path, "header is not UTF-8 text; not a safetensors file?")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(header)
        } catch let error as JSONParseError {
            throw InputError(path, "header is not valid JSON: \(error.message) (header byte \(error.offset))")
        }
        guard case .object(var entries) = json else {
            throw InputError(path, "header is \(json.kindName), not a JSON object")
        }

        metadata = try SafetensorsFile.metadata(entries.removeValue(forKey: "__metadata__"), path: path)

        let dataLength = bytes.count - dataStart
        var layouts: [TensorLayout] = []
        layouts.reserveCapacity(entries.count)
        for name in entries.keys.sorted() {
            layouts.append(try TensorLayout(name: name, entry: entries[name]!, dataLength: dataLength, path: path))
        }
        try SafetensorsFile.checkNoOverlap(layouts, path: path)

        var views: [String: TensorView] = [:]
        var skipped: [String: String] = [:]
        let dataBase = bytes.baseAddress! + dataStart
        for layout in layouts {
            guard let dtype = layout.dtype else {
                skipped[layout.name] = layout.dtypeName
                continue
            }
            let start = dataBase + layout.begin
            if Int(bitPattern: start) % dtype.itemSize == 0 {
                views[layout.name] = TensorView(name: layout.name, dtype: dtype, shape: layout.shape, data: start, owner: file)
            } else {
                // Swift loads must be aligned; a header whose length is not a multiple of the
                // item size leaves the data misaligned, so this tensor gets an aligned copy.
                let storage = TensorStorage(copying: UnsafeRawBufferPointer(start: start, count: layout.end - layout.begin))
                views[layout.name] = TensorView(name: layout.name, dtype: dtype, shape: layout.shape,
                                                data: UnsafeRawPointer(storage.bytes.baseAddress!), owner: storage)
            }
        }
        tensors = views
        unsupported = skipped
        names = layouts.map(\.name)
    }


    private static func metadata(_ value: JSONValue?, path: String) throws -> [String: String] {
        guard let value else { return [:] }
        guard case .object(let members) = value else {
            throw InputError(path, "__metadata__ is \(value.kindName), not an object of strings")
        }
        var result: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let text) = member else {
                throw InputError(path, "__metadata__ entry \"\(key)\" is \(member.kindName), not a string")
            }
            result[key] = text
        }
        return result
    }

    /// Two tensors sharing bytes would let a write through one corrupt the other in tools that
    /// edit checkpoints, and no writer produces it: treat it as corruption. Gaps are tolerated.
    private static func checkNoOverlap(_ layouts: [TensorLayout], path: String) throws {
        let ranges = layouts.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        for (previous, next) in zip(ranges, ranges.dropFirst()) where next.begin < previous.end {
            throw InputError(path, "tensors \(previous.name) and \(next.name) overlap: data_offsets [\(previous.begin), \(previous.end)] and [\(next.begin), \(next.end)]")
        }
    }
}
