import Foundation

/// `model.safetensors.index.json`: which shard file holds each tensor.
struct ShardIndex {
    /// Tensor name -> shard file name (relative to the model folder).
    let weightMap: [String: String]
    /// Distinct shard names, sorted.
    let shardNames: [String]

    init(url: URL) throws {
        let path = url.path
        let file = try MappedFile(path: path)
        let json: JSONValue
        do {
            json = try JSONValue.parse(file.bytes)
        } catch let error as JSONParseError {
            throw InputError(path, "not valid JSON: \(error.message) (byte \(error.offset))")
        }
        guard case .object(let top) = json else { throw InputError(path, "is \(json.kindName), not a JSON object") }
        guard let mapField = top["weight_map"] else { throw InputError(path, "has no weight_map") }
        guard case .object(let entries) = mapField else {
            throw InputError(path, "weight_map is \(mapField.kindName), not an object")
        }
        guard !entries.isEmpty else { throw InputError(path, "weight_map is empty") }
        var map: [String: String] = [:]
        for name in entries.keys.sorted() {
            guard case .string(let shard) = entries[name]! else {
                throw InputError(path, "weight_map entry for \(name) is \(entries[name]!.kindName), not a file name")
            }
            guard ShardIndex.staysInside(shard) else {
                throw InputError(path, "weight_map puts \(name) in \"\(shard)\", which is outside the model folder")
            }
            map[name] = shard
        }
        weightMap = map
        shardNames = Set(map.values).sorted()
    }

    /// Whether a shard path names a file under the model folder. Checked on the text, not by
    /// resolving links: the Hugging Face cache links every snapshot file into a shared blobs folder.
    static func staysInside(_ shard: String) -> Bool {
        guard !shard.isEmpty, !shard.hasPrefix("/"), !shard.hasPrefix("~"), !shard.contains("\\"),
              !shard.contains("\0") else { return false }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
    }
}
