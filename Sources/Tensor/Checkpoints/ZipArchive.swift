/// The entries of a zip archive mapped in memory, as `torch.save` writes them (PyTorch >= 1.6).
///
/// Written by hand rather than with ZIPFoundation: we need the byte offset of each stored entry's
/// data inside the mapping, so multi-GB tensors are read in place (mmap, no copy), and only the
/// read-only subset torch uses (stored entries, ZIP64 sizes and offsets). Everything is bounds-checked
/// first, so a truncated or hostile archive fails with an `InputError`, never a bad read.
struct ZipArchive {
    struct Entry {
        let name: String
        /// 0 = stored; anything else (8 = deflate) is compressed and cannot be mapped.
        let method: Int
        let compressedSize: Int
        let size: Int
        /// Where the entry's bytes start, from its *local* header (its name and extra field can
        /// differ in length from the central directory's copy: torch pads the local extra to align data).
        let dataOffset: Int
    }

    let path: String
    let bytes: UnsafeRawBufferPointer
    /// Entries by name, and their names in archive order.
    let entries: [String: Entry]
    let names: [String]

    private static let endRecord: UInt32 = 0x0605_4b50
    private static let zip64EndRecord: UInt32 = 0x0606_4b50
    private static let zip64Locator: UInt32 = 0x0706_4b50
    private static let centralHeader: UInt32 = 0x0201_4b50
    private static let localHeader: UInt32 = 0x0403_4b50

    init(path: String, bytes: UnsafeRawBufferPointer) throws {
        self.path = path
        self.bytes = bytes
        var reader = ByteReader(bytes: bytes, path: path)
        func bad(_ problem: String) -> InputError { InputError(path, problem) }

        // The end-of-central-directory record is the last 22 bytes plus a comment of up to 64 KiB.
        guard bytes.count >= 22 else { throw bad("is \(bytes.count) bytes, too short for a zip archive; truncated?") }
        var end = -1
        var at = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65535)
        while at >= lowest {
            if reader.u32(at) == ZipArchive.endRecord { end = at; break }
            at -= 1
        }
        guard end >= 0 else {
            throw bad("zip archive has no end-of-central-directory record; the file is truncated or not a torch.save zip")
        }
        var count = Int(reader.u16(end + 10))
        var directorySize = Int(reader.u32(end + 12))
        var directoryOffset = Int(reader.u32(end + 16))
        if end >= 20, reader.u32(end - 20) == ZipArchive.zip64Locator {
            let record = try reader.checkedOffset(reader.u64(end - 20 + 8), length: 56, what: "ZIP64 end record")
            guard reader.u32(record) == ZipArchive.zip64EndRecord else { throw bad("ZIP64 locator points at no ZIP64 end record; corrupt archive") }
            count = try reader.int(reader.u64(record + 32), what: "entry count")
            directorySize = try reader.int(reader.u64(record + 40), what: "central directory size")
            directoryOffset = try reader.int(reader.u64(record + 48), what: "central directory offset")
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw bad("zip central directory (\(directorySize) bytes at \(directoryOffset)) lies outside the \(bytes.count)-byte file; truncated?")
        }

        var entries: [String: Entry] = [:]
        var names: [String] = []
        var cursor = directoryOffset
        for _ in 0..<count {
            _ = try reader.checkedOffset(UInt64(cursor), length: 46, what: "central directory entry")
            guard reader.u32(cursor) == ZipArchive.centralHeader else { throw bad("zip central directory is corrupt at byte \(cursor)") }
            let flags = Int(reader.u16(cursor + 8))
            let method = Int(reader.u16(cursor + 10))
            var compressed = UInt64(reader.u32(cursor + 20))
            var size = UInt64(reader.u32(cursor + 24))
            let nameLength = Int(reader.u16(cursor + 28)), extraLength = Int(reader.u16(cursor + 30))
            let commentLength = Int(reader.u16(cursor + 32))
            var local = UInt64(reader.u32(cursor + 42))
            let nameStart = try reader.checkedOffset(UInt64(cursor + 46), length: nameLength + extraLength + commentLength,
                                                     what: "central directory entry name")
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + nameLength)]), as: UTF8.self)
            // ZIP64 extra field: 8-byte values for whichever 32-bit fields are saturated, in this order.
            var extra = nameStart + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = reader.u16(extra), length = Int(reader.u16(extra + 2))
                var value = extra + 4
                if id == 0x0001 {
                    for field in [0, 1, 2] {
                        let saturated = field == 0 ? size == 0xFFFF_FFFF : field == 1 ? compressed == 0xFFFF_FFFF : local == 0xFFFF_FFFF
                        guard saturated, value + 8 <= extra + 4 + length, value + 8 <= extraEnd else { continue }
                        let wide = reader.u64(value)
                        if field == 0 { size = wide } else if field == 1 { compressed = wide } else { local = wide }
                        value += 8
                    }
                }
                extra += 4 + length
            }
            cursor = nameStart + nameLength + extraLength + commentLength
            if flags & 1 != 0 { throw bad("zip entry \(name) is encrypted") }

            let header = try reader.checkedOffset(local, length: 30, what: "local header of \(name)")
            guard reader.u32(header) == ZipArchive.localHeader else {
                throw bad("zip entry \(name) has no local header at byte \(header); corrupt archive")
            }
            let dataOffset = header + 30 + Int(reader.u16(header + 26)) + Int(reader.u16(header + 28))
            let compressedSize = try reader.int(compressed, what: "size of \(name)")
            guard dataOffset <= bytes.count, compressedSize <= bytes.count - dataOffset else {
                throw bad("zip entry \(name) (\(compressedSize) bytes at \(dataOffset)) runs past the end of the \(bytes.count)-byte file; truncated")
            }
            entries[name] = Entry(name: name, method: method, compressedSize: compressedSize,
                                  size: try reader.int(size, what: "size of \(name)"), dataOffset: dataOffset)
            names.append(name)
        }
        self.entries = entries
        self.names = names
    }

    /// A stored entry's bytes, in place.
    func contents(of entry: Entry) throws -> UnsafeRawBufferPointer {
        guard entry.method == 0 else {
            let kind = entry.method == 8 ? "deflate-compressed" : "compressed (method \(entry.method))"
            throw InputError(path, "zip entry \(entry.name) is \(kind); facecap maps tensors in place and reads only stored entries, as torch.save writes them (re-save the checkpoint with torch.save, or unzip and re-zip with -0)")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[entry.dataOffset..<(entry.dataOffset + entry.size)])
    }
}

/// Little-endian reads from a mapped file at offsets the caller has checked.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String

    func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
    func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }

    /// `offset` as an Int, if `length` bytes from it lie inside the file.
    func checkedOffset(_ offset: UInt64, length: Int, what: String) throws -> Int {
        guard offset <= UInt64(bytes.count), length <= bytes.count - Int(offset) else {
            throw InputError(path, "zip \(what) at byte \(offset) lies outside the \(bytes.count)-byte file; truncated or corrupt")
        }
        return Int(offset)
    }

    func int(_ value: UInt64, what: String) throws -> Int {
        guard value <= UInt64(Int.max) else { throw InputError(path, "zip \(what) \(value) is absurd; corrupt archive") }
        return Int(value)
    }
}
