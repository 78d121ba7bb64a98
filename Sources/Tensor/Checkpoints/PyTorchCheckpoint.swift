/// A `torch.save` file (PyTorch >= 1.6): a zip archive holding `<folder>/data.pkl` (the pickled
/// object), `<folder>/data/<key>` (one entry per storage, stored uncompressed and 64-byte aligned)
/// and `<folder>/byteorder`. The folder is whatever name the file had when saved, so it is read
/// from the archive, not assumed to be `archive`.
///
/// The tensors are the state dict's: the object itself when it is a dict of tensors, or the dict
/// under `"model"` or `"state_dict"` (training checkpoints keep optimizer state and config beside
/// it; those load as inert values and are ignored). Names are kept as saved: prefixes such as
/// `module.` are the caller's business. Views point into the mapped file; tensors sharing a
/// storage (tied weights) share bytes.
public final class PyTorchCheckpoint: CheckpointFile, @unchecked Sendable {
    public let file: MappedFile
    /// The archive's top folder, e.g. "archive" or "exp_blip_vitg_opt6.7b_trimmed".
    public let archiveFolder: String
    /// The whole unpickled object, with placeholders for everything that is not a tensor or a container.
    public let root: PickleValue
    /// Every global the pickle named ("module.name"), tensor rebuilds included.
    public let globals: Set<String>
    public let tensors: [String: TensorView]
    public let unsupported: [String: String]
    public let names: [String]
    public let descriptionBytes: UnsafeRawBufferPointer

    public var path: String { file.path }
    public var fileSize: Int { file.count }
    /// The storages live all over the archive; sampling the whole file's ends is what the fingerprint needs.
    public var dataBytes: UnsafeRawBufferPointer { file.bytes }

    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws {
        self.file = file
        let path = file.path
        let archive = try ZipArchive(path: path, bytes: file.bytes)
        let pickles = archive.names.filter { $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 }
        guard let pickleName = pickles.first else {
            throw InputError(path, "zip archive has no <folder>/data.pkl; not a torch.save checkpoint")
        }
        let folder = String(pickleName.dropLast("/data.pkl".count))
        archiveFolder = folder
        if let order = archive.entries[folder + "/byteorder"] {
            let text = String(decoding: try archive.contents(of: order), as: UTF8.self)
            guard text == "little" else { throw InputError(path, "checkpoint was saved with byte order \"\(text)\"; facecap reads little-endian files") }
        }
        descriptionBytes = try archive.contents(of: archive.entries[pickleName]!)
        let (value, globals) = try Unpickler.load(descriptionBytes, origin: "\(path): \(pickleName)")
        root = value
        self.globals = globals

        guard let stateDict = PyTorchCheckpoint.stateDict(in: value) else {
            throw InputError(path, "holds \(value), not a state dict (a dict of tensors, or one under \"model\" or \"state_dict\")")
        }
        var views: [String: TensorView] = [:]
        var skipped: [String: String] = [:]
        for (name, entry) in stateDict {
            guard case .tensor(let tensor) = entry else { continue }
            guard let type = TorchRebuild.storageTypes[tensor.storage.typeName] else {
                skipped[name] = tensor.storage.typeName
                continue
            }
            let region = try PyTorchCheckpoint.region(of: tensor, named: name, itemSize: type.itemSize,
                                                      folder: folder, archive: archive, path: path)
            guard let dtype = type.dtype else {
                skipped[name] = type.name
                continue
            }
            if Int(bitPattern: region.baseAddress) % dtype.itemSize == 0 {
                views[name] = TensorView(name: name, dtype: dtype, shape: tensor.shape, data: region.baseAddress!, owner: file)
            } else {
                // Swift loads must be aligned; torch aligns storages to 64 bytes, other writers may not.
                let storage = TensorStorage(copying: region)
                views[name] = TensorView(name: name, dtype: dtype, shape: tensor.shape,
                                         data: UnsafeRawPointer(storage.bytes.baseAddress!), owner: storage)
            }
        }
        guard !views.isEmpty || !skipped.isEmpty else {
            let keys = (value.stringKeyedPairs ?? []).map(\.0).prefix(8).joined(separator: ", ")
            throw InputError(path, "holds no tensors (top-level keys: \(keys.isEmpty ? "none" : keys))")
        }
        tensors = views
        unsupported = skipped
        names = (Array(views.keys) + Array(skipped.keys)).sorted()
    }

    /// The dict of tensors inside a saved object: the object itself, or its `model` / `state_dict` entry.
    static func stateDict(in value: PickleValue) -> [(String, PickleValue)]? {
        for key in ["model", "state_dict"] {
            if let inner = value[key], let pairs = inner.stringKeyedPairs, pairs.contains(where: { if case .tensor = $0.1 { return true } else { return false } }) {
                return pairs
            }
        }
        return value.stringKeyedPairs
    }

    /// A tensor's bytes inside its storage entry, after checking its layout is one we can map.
    private static func region(of tensor: TorchTensor, named name: String, itemSize: Int, folder: String,
                               archive: ZipArchive, path: String) throws -> UnsafeRawBufferPointer {
        let key = tensor.storage.key
        guard let entry = archive.entries["\(folder)/data/\(key)"] else {
            throw InputError(path, "tensor \(name) uses storage \(key), but the archive has no entry \(folder)/data/\(key)")
        }
        let storageBytes = try archive.contents(of: entry)
        var count = 1
        for n in tensor.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard n >= 0, !overflow else { throw InputError(path, "tensor \(name) has impossible shape \(tensor.shape)") }
            count = product
        }
        guard tensor.stride.count == tensor.shape.count else {
            throw InputError(path, "tensor \(name) has \(tensor.stride.count) strides for shape \(tensor.shape)")
        }
        var expected = 1
        for axis in tensor.shape.indices.reversed() {
            guard tensor.shape[axis] <= 1 || tensor.stride[axis] == expected || count == 0 else {
                throw InputError(path, "tensor \(name) has strides \(tensor.stride) for shape \(tensor.shape), not contiguous; facecap maps contiguous tensors only (re-save it with .contiguous())")
            }
            expected *= max(tensor.shape[axis], 1)
        }
        let available = storageBytes.count / itemSize
        guard tensor.offset >= 0, tensor.offset <= available, count <= available - tensor.offset else {
            throw InputError(path, "tensor \(name) needs elements \(tensor.offset)..<\(tensor.offset + count) of storage \(key), which holds \(available); truncated or corrupt")
        }
        let start = tensor.offset * itemSize
        return UnsafeRawBufferPointer(rebasing: storageBytes[start..<(start + count * itemSize)])
    }
}

/// `torch.save` files from before PyTorch 1.6 (and `_use_new_zipfile_serialization=False`): raw
/// pickles with storages appended, or tar archives. Not mappable in place; recognised only to say
/// how to re-save them.
enum LegacyTorchFile {
    static func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // A pickle starts with PROTO (0x80) and a protocol number; torch's legacy files with protocol 2.
        if bytes.count >= 2, bytes[0] == 0x80, (1...5).contains(bytes[1]) { return true }
        // The even older tar format: "ustar" at byte 257.
        if bytes.count >= 262, Array(bytes[257..<262]) == Array("ustar".utf8) { return true }
        return false
    }

    static func error(path: String) -> InputError {
        InputError(path, "is a legacy torch.save file (PyTorch before 1.6, not a zip archive), which cannot be read in place; re-save it once with: python3 -c \"import torch; torch.save(torch.load('\(path)', map_location='cpu', weights_only=False), 'resaved.pth')\"")
    }
}
