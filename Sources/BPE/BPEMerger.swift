import Foundation

/// Applies BPE merges to one pre-tokenized piece, with the same semantics as Hugging Face
/// `tokenizers` (`Word::merge_all`): repeatedly merge the adjacent pair with the lowest merge rank,
/// leftmost first among equal ranks. A heap of candidate pairs keeps long pieces (a 1,000-character
/// run of digits or emoji) from going quadratic.
public struct BPEMerger: Sendable {
    public struct Merge: Sendable {
        public let rank: Int32
        public let newID: Int32

        public init(rank: Int32, newID: Int32) {
            self.rank = rank
            self.newID = newID
        }
    }

    /// (left id, right id) packed as `left << 32 | right` -> the merge that joins them.
    public let merges: [UInt64: Merge]
    /// Token id of each single byte; -1 when the vocabulary lacks it.
    public let byteIDs: [Int32]
    /// Emitted for a byte the vocabulary lacks; nil drops the byte (what `tokenizers` does for
    /// GPT-2, whose BPE model has no unk token).
    public let unknownID: Int32?

    public init(merges: [UInt64: Merge], byteIDs: [Int32], unknownID: Int32?) {
        self.merges = merges
        self.byteIDs = byteIDs
        self.unknownID = unknownID
    }

    public static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    public func tokenIDs(for piece: ArraySlice<UInt8>) -> [Int] {
        var ids: [Int32] = []
        ids.reserveCapacity(piece.count)
        for b in piece {
            let id = byteIDs[Int(b)]
            if id >= 0 { ids.append(id) } else if let unknownID { ids.append(unknownID) }
        }
        return tokenIDs(symbols: ids)
    }

    /// Merges a piece already spelled as symbol ids (CLIP spells its last symbol with `</w>`, so its
    /// start is not the bytes' ids alone).
    public func tokenIDs(symbols ids: [Int32]) -> [Int] {
        if ids.count < 2 { return ids.map(Int.init) }
        return merged(ids).map(Int.init)
    }

    private struct Symbol {
        var id: Int32
        var prev: Int32
        var next: Int32
    }

    private func merged(_ start: [Int32]) -> [Int32] {
        let n = start.count
        // Doubly linked list over the symbols; a merged-away symbol gets id -1.
        var symbols = [Symbol]()
        symbols.reserveCapacity(n)
        for i in 0..<n {
            symbols.append(Symbol(id: start[i], prev: Int32(i) - 1, next: i + 1 < n ? Int32(i + 1) : -1))
        }
        var heap = MergeHeap()
        for i in 0..<(n - 1) {
            if let m = merges[Self.key(start[i], start[i + 1])] {
                heap.push(MergeHeap.Candidate(rank: m.rank, position: Int32(i), newID: m.newID))
            }
        }
        while let top = heap.pop() {
            let pos = Int(top.position)
            let nextPos = symbols[pos].next
            guard symbols[pos].id >= 0, nextPos >= 0 else { continue }
            let right = Int(nextPos)
            // Skip candidates made stale by an earlier merge of either symbol.
            guard let m = merges[Self.key(symbols[pos].id, symbols[right].id)], m.newID == top.newID else { continue }
            symbols[pos].id = m.newID
            symbols[pos].next = symbols[right].next
            symbols[right].id = -1
            let after = symbols[pos].next, before = symbols[pos].prev
            if after >= 0 { symbols[Int(after)].prev = Int32(pos) }
            if before >= 0, let l = merges[Self.key(symbols[Int(before)].id, m.newID)] {
                heap.push(MergeHeap.Candidate(rank: l.rank, position: before, newID: l.newID))
            }
            if after >= 0, let r = merges[Self.key(m.newID, symbols[Int(after)].id)] {
                heap.push(MergeHeap.Candidate(rank: r.rank, position: Int32(pos), newID: r.newID))
            }
        }
        var out: [Int32] = []
        out.reserveCapacity(n)
        for s in symbols where s.id >= 0 { out.append(s.id) }
        return out
    }
}

/// A binary min-heap of merge candidates, lowest rank first and leftmost among equal ranks.
/// Concrete rather than generic so debug builds do not pay for unspecialized generics.
struct MergeHeap {
    struct Candidate {
        let rank: Int32
        let position: Int32
        let newID: Int32

        func precedes(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : position < other.position
        }
    }

    private var items: [Candidate] = []

    mutating func push(_ x: Candidate) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i].precedes(items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Candidate? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return first }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count, items[l].precedes(items[best]) { best = l }
            if r < items.count, items[r].precedes(items[best]) { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return first
    }
}

/// Remembers the ids of recently seen pieces: natural text repeats words constantly, and BPE on a
/// word costs far more than a dictionary lookup. Bounded like `tokenizers`' cache (10,000 words).
public final class BPECache: @unchecked Sendable {
    private var entries: [ArraySlice<UInt8>: [Int]] = [:]
    private let lock = NSLock()
    private let capacity: Int
    /// Longer pieces are rare and would make the cache's memory unbounded.
    public static let maxPieceLength = 64

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    public func ids(for piece: ArraySlice<UInt8>, compute: (ArraySlice<UInt8>) -> [Int]) -> [Int] {
        guard piece.count <= Self.maxPieceLength else { return compute(piece) }
        lock.lock()
        let hit = entries[piece]
        lock.unlock()
        if let hit { return hit }
        let ids = compute(piece)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[ArraySlice(Array(piece))] = ids
        lock.unlock()
        return ids
    }
}
