import Foundation

/// A content identity for a set of weights, for the caption cache key.
///
/// Hashing every byte of a 15 GB checkpoint would take seconds and page the whole file in on
/// every start, so files are sampled: each file's name (relative to the model folder), size, the
/// whole description of its tensors (a safetensors header, a PyTorch pickle: every name, dtype,
/// shape and place), and the first and last 1 MiB of its data section. Retraining or converting a model changes those; an edit confined to the
/// middle of a large file would not be noticed, which is acceptable for a cache.
enum WeightFingerprint {
    static let sampleBytes = 1 << 20

    static func of(files: [CheckpointFile], relativeTo directory: URL) -> String {
        var hash = ContentHash()
        // The tag predates other formats; kept so existing caches stay valid.
        hash.combine("safetensors")
        let prefix = directory.standardizedFileURL.path + "/"
        for file in files.sorted(by: { $0.path < $1.path }) {
            let path = URL(fileURLWithPath: file.path).standardizedFileURL.path
            hash.combine(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path as NSString).lastPathComponent)
            hash.combine(file.fileSize)
            hash.combine(bytes: file.descriptionBytes)
            combineEnds(of: file.dataBytes, into: &hash)
        }
        return hash.hex
    }

    /// In-memory weights: name, dtype and shape of every tensor and the ends of its bytes.
    static func of(tensors: [String: TensorView]) -> String {
        var hash = ContentHash()
        hash.combine("memory")
        for name in tensors.keys.sorted() {
            let view = tensors[name]!
            hash.combine(name)
            hash.combine(view.dtype.rawValue)
            hash.combine(view.shape.count)
            for n in view.shape { hash.combine(n) }
            combineEnds(of: view.rawBytes, into: &hash)
        }
        return hash.hex
    }

    private static func combineEnds(of bytes: UnsafeRawBufferPointer, into hash: inout ContentHash) {
        if bytes.count <= 2 * sampleBytes {
            hash.combine(bytes: bytes)
        } else {
            hash.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<sampleBytes]))
            hash.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - sampleBytes)...]))
        }
    }
}
