import Foundation

/// A model's weights by checkpoint name, from a Hugging Face model folder, one checkpoint file, or
/// made in memory.
///
/// A folder is read the way transformers reads it: `model.safetensors` if present, else
/// `model.safetensors.index.json` and the shards its `weight_map` names, else `pytorch_model.bin`,
/// else `pytorch_model.bin.index.json` and its shards (how `facebook/opt-6.7b` ships), else every
/// `*.safetensors` in the folder. Tensors stay in the mapped files.
public final class WeightStore: @unchecked Sendable {
    public static let singleFileName = "model.safetensors"
    public static let indexFileName = "model.safetensors.index.json"
    public static let pytorchFileName = "pytorch_model.bin"
    public static let pytorchIndexFileName = "pytorch_model.bin.index.json"

    private enum Slot {
        case view(TensorView, path: String)
        case unsupported(dtype: String, path: String)

        var path: String {
            switch self {
            case .view(_, let path), .unsupported(_, let path): return path
            }
        }
    }

    /// The model folder (the file's folder for a single checkpoint file), or nil for weights made in memory.
    public let directory: URL?
    /// The checkpoint files the weights come from, in name order.
    public let files: [CheckpointFile]
    /// Every tensor name, sorted.
    public let names: [String]
    /// Tensors whose element type facecap does not read (name -> dtype); asking for one throws.
    public let unsupported: [String: String]
    /// Bytes of tensor data held (data sections of the files, or in-memory tensor bytes).
    public let totalBytes: Int
    /// A stable identity for the weights' content (16 hex digits), used to key the caption cache.
    /// See `WeightFingerprint` for what it covers and why it samples instead of reading everything.
    public let fingerprint: String
    /// Where lookups are reported: the folder, or the single file.
    public let origin: String

    private let slots: [String: Slot]

    public convenience init(directory: URL) throws {
        let dirPath = directory.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dirPath, isDirectory: &isDirectory) else {
            throw InputError(dirPath, "no such directory")
        }
        guard isDirectory.boolValue else { throw InputError(dirPath, "is a file, not a model directory") }

        func present(_ name: String) -> URL? {
            let url = directory.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        var slots: [String: Slot] = [:]
        var files: [CheckpointFile] = []

        if let single = present(WeightStore.singleFileName) ?? (present(WeightStore.indexFileName) == nil ? present(WeightStore.pytorchFileName) : nil) {
            let file = try CheckpointFiles.open(path: single.path)
            files = [file]
            WeightStore.addAll(of: file, to: &slots)
        } else if let index = present(WeightStore.indexFileName) ?? present(WeightStore.pytorchIndexFileName) {
            files = try WeightStore.openShards(index: index, in: directory, into: &slots)
        } else {
            let found = (try? FileManager.default.contentsOfDirectory(atPath: dirPath)) ?? []
            let shardNames = found.filter { $0.hasSuffix(".safetensors") }.sorted()
            guard !shardNames.isEmpty else {
                throw InputError(dirPath, "no \(WeightStore.singleFileName), \(WeightStore.indexFileName), \(WeightStore.pytorchFileName), \(WeightStore.pytorchIndexFileName) or *.safetensors files")
            }
            for shard in shardNames {
                let file = try SafetensorsFile(path: directory.appendingPathComponent(shard).path)
                for name in file.names {
                    if let existing = slots[name] {
                        throw InputError(file.path, "tensor \(name) also appears in \(existing.path)")
                    }
                }
                WeightStore.addAll(of: file, to: &slots)
                files.append(file)
            }
        }
        self.init(directory: directory, origin: dirPath, files: files, slots: slots)
    }

    /// One checkpoint file (a LAVIS `.pth`, a lone `.safetensors`), its tensors under their stored names.
    public convenience init(file url: URL) throws {
        let file = try CheckpointFiles.open(path: url.path)
        var slots: [String: Slot] = [:]
        WeightStore.addAll(of: file, to: &slots)
        self.init(directory: url.deletingLastPathComponent(), origin: url.path, files: [file], slots: slots)
    }

    private init(directory: URL, origin: String, files: [CheckpointFile], slots: [String: Slot]) {
        self.directory = directory
        self.origin = origin
        self.files = files
        self.slots = slots
        names = slots.keys.sorted()
        unsupported = slots.compactMapValues { if case .unsupported(let dtype, _) = $0 { return dtype } else { return nil } }
        totalBytes = files.reduce(0) { $0 + $1.dataBytes.count }
        fingerprint = WeightFingerprint.of(files: files, relativeTo: directory)
    }

    /// The shards an index's `weight_map` names, every tensor taken from the shard the index says.
    private static func openShards(index: URL, in directory: URL, into slots: inout [String: Slot]) throws -> [CheckpointFile] {
        let indexName = index.lastPathComponent
        let shards = try ShardIndex(url: index)
        var opened: [String: CheckpointFile] = [:]
        for shard in shards.shardNames {
            let url = directory.appendingPathComponent(shard)
            do {
                opened[shard] = try CheckpointFiles.open(path: url.path)
            } catch let error as InputError where error.problem == "no such file" {
                throw InputError(url.path, "no such file, but \(indexName) lists it as a shard")
            }
        }
        for (name, shard) in shards.weightMap {
            let file = opened[shard]!
            if let view = file.tensors[name] {
                slots[name] = .view(view, path: file.path)
            } else if let dtype = file.unsupported[name] {
                slots[name] = .unsupported(dtype: dtype, path: file.path)
            } else {
                throw InputError(file.path, "\(indexName) puts tensor \(name) in this shard, but the shard has no such tensor")
            }
        }
        return shards.shardNames.map { opened[$0]! }
    }

    /// Weights made in memory (random weights for `bench`, tests).
    public init(tensors: [String: TensorView]) {
        directory = nil
        origin = "<memory>"
        files = []
        slots = tensors.mapValues { .view($0, path: "<memory>") }
        names = tensors.keys.sorted()
        unsupported = [:]
        totalBytes = tensors.values.reduce(0) { $0 + $1.byteCount }
        fingerprint = WeightFingerprint.of(tensors: tensors)
    }

    public func contains(_ name: String) -> Bool { slots[name] != nil }

    public func tensor(_ name: String) throws -> TensorView {
        switch slots[name] {
        case .view(let view, _)?:
            return view
        case .unsupported(let dtype, let path)?:
            throw InputError(path, CheckpointFiles.unsupportedMessage(name: name, dtype: dtype))
        case nil:
            throw InputError(origin, "missing tensor \(name) (the weights hold \(slots.count) tensors)")
        }
    }

    /// The named tensor, checked against the shape the model configuration implies.
    public func tensor(_ name: String, shape expected: [Int], impliedBy source: String = "config.json") throws -> TensorView {
        let view = try tensor(name)
        guard view.shape == expected else {
            throw InputError(path(of: name), "tensor \(name) has shape \(view.shape) but \(source) implies \(expected)")
        }
        return view
    }

    /// The file holding the named tensor ("<memory>" for in-memory weights).
    public func path(of name: String) -> String {
        slots[name]?.path ?? origin
    }

    private static func addAll(of file: CheckpointFile, to slots: inout [String: Slot]) {
        for (name, view) in file.tensors { slots[name] = .view(view, path: file.path) }
        for (name, dtype) in file.unsupported { slots[name] = .unsupported(dtype: dtype, path: file.path) }
    }
}
