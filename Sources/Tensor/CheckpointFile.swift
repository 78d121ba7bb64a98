/// One file of named tensors, whatever format wrote it (safetensors, PyTorch's zip `torch.save`).
/// The tensors stay in the mapped file; views point into it. Loaders above this layer see only
/// names, dtypes, shapes and bytes, so a second format is a new reader, not new branches upstream.
public protocol CheckpointFile: AnyObject, Sendable {
    var path: String { get }
    /// Views of every tensor facecap can read, backed by the mapped file.
    var tensors: [String: TensorView] { get }
    /// Tensors with an element type facecap does not read (name -> dtype name), e.g. an int64
    /// `position_ids` buffer. The file still loads; asking for one throws.
    var unsupported: [String: String] { get }
    /// Every tensor name, sorted (including those in `unsupported`).
    var names: [String] { get }
    /// The bytes that describe every tensor (a safetensors header, a PyTorch pickle), hashed whole
    /// for the weights' fingerprint.
    var descriptionBytes: UnsafeRawBufferPointer { get }
    /// The region holding tensor data, sampled at both ends for the fingerprint.
    var dataBytes: UnsafeRawBufferPointer { get }
    /// The file's size in bytes.
    var fileSize: Int { get }
}

extension CheckpointFile {
    /// The named tensor, or an error naming this file.
    public func tensor(named name: String) throws -> TensorView {
        if let view = tensors[name] { return view }
        if let dtype = unsupported[name] {
            throw InputError(path, CheckpointFiles.unsupportedMessage(name: name, dtype: dtype))
        }
        throw InputError(path, "missing tensor \(name)")
    }
}

/// Opens a checkpoint file by its content, not its name (a `.pth`, `.bin` and `.pt` are all the
/// same zip format; a `.bin` may be safetensors renamed).
public enum CheckpointFiles {
    public static func open(path: String) throws -> CheckpointFile {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 0x03, bytes[3] == 0x04 {
            return try PyTorchCheckpoint(file: file)
        }
        if LegacyTorchFile.matches(bytes) { throw LegacyTorchFile.error(path: path) }
        return try SafetensorsFile(file: file)
    }

    static func unsupportedMessage(name: String, dtype: String) -> String {
        "tensor \(name) has dtype \(dtype); facecap reads \(DType.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}
