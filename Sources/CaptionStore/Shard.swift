import Faces
import Tensor

/// One slice of a dataset for a cluster run: `--shard I/N` with I counted from 1 (as people say
/// "shard 1 of 4"; SLURM's `--array=1-N` gives those numbers directly). An item belongs to the
/// shard `1 + h mod N`, where h is the first 64 bits of SHA-256 of its id, so a slice is the same
/// on every machine, in every run, whatever order the files were listed in, and the N slices
/// together hold every item exactly once. Merge the shards' caches with `facecap cache import`.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// 1...count
    public let index: Int
    public let count: Int

    public init(index: Int, of count: Int) throws {
        guard count >= 1 else { throw InputError("--shard", "the shard count must be at least 1, not \(count)") }
        guard (1...count).contains(index) else {
            throw InputError("--shard", "shard \(index)/\(count) does not exist: shards are numbered 1 to \(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses "I/N", e.g. "3/8".
    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw InputError("--shard", "expected I/N (e.g. 2/8), got \"\(text)\"")
        }
        try self.init(index: index, of: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// The 1-based shard an item id falls in when the data is cut into `count` shards.
    public static func number(of itemID: String, count: Int) -> Int {
        let hex = SHA256Digest.of(bytes: Array(itemID.utf8))
        let prefix = UInt64(hex.prefix(16), radix: 16)!
        return Int(prefix % UInt64(count)) + 1
    }

    public func contains(_ itemID: String) -> Bool { Self.number(of: itemID, count: count) == index }

    /// The items of this shard, in their original order.
    public func select(_ items: [FaceItem]) -> [FaceItem] { items.filter { contains($0.id) } }
}
