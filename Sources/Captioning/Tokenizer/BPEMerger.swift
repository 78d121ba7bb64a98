import Foundation

/// Applies BPE merges to one pre-tokenized piece, with the same semantics as Hugging Face
/// `tokenizers` (`Word::merge_all`): repeatedly merge the adjacent pair with the lowest merge rank,
/// leftmost first among equal ranks. A heap of candidate pairs keeps long pieces (a 1,000-character
/// run of digits or emoji) from going quadratic.
struct BPEMerger: Sendable {
    struct Merge: Sendable {
        let rank: Int32
        let newID: Int32
    }

    /// (left id, right id) packed as `left << 32 | right` -> the merge that joins them.
    let merges: [UInt64: Merge]
    /// Token id of each single byte; -1 when the vocabulary lacks it.
    let byteIDs: [Int32]
    /// Emitted for a byte the vocabulary lacks; nil drops the byte (what `tokenizers` does for
    /// GPT-2, whose BPE model has no unk token).
    let unknownID: Int32?

    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    func tokenIDs(for piece: ArraySlice<UInt8>) -> [Int] {
        var ids: [Int32] = []
        ids.reserveCapacity(piece.count)
        for b in piece {
            let id = byteIDs[Int(b)]
            if id >= 0 { ids.append(id) } else if let unknownID { ids.append(unknownID) }
        }
        if ids.count < 2 { return ids.map(Int.init) }
        return merged(ids).map(Int.init)
    }

    private struct Candidate: Comparable {
        let rank: Int32
        let position: Int32
        let newID: Int32
        static func < (a: Candidate, b: Candidate) -> Bool {
            a.rank != b.rank ? a.rank < b.rank : a.position < b.position
        }
    }

    private func merged(_ start: [Int32]) -> [Int32] {
        var ids = start
        let n = ids.count
        // Doubly linked list over the symbols; merged-away symbols are marked dead.
        var prev = (0..<n).map { Int32($0) - 1 }
        var next = (0..<n).map { $0 + 1 < n ? Int32($0 + 1) : -1 }
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap<Candidate>()
        for i in 0..<(n - 1) {
            if let m = merges[Self.key(ids[i], ids[i + 1])] {
                heap.push(Candidate(rank: m.rank, position: Int32(i), newID: m.newID))
            }
        }
        while let top = heap.pop() {
            let pos = Int(top.position)
            guard alive[pos], next[pos] >= 0 else { continue }
            let right = Int(next[pos])
            // Skip candidates made stale by an earlier merge of either symbol.
            guard let m = merges[Self.key(ids[pos], ids[right])], m.newID == top.newID else { continue }
            ids[pos] = m.newID
            alive[right] = false
            next[pos] = next[right]
            if next[right] >= 0 { prev[Int(next[right])] = Int32(pos) }
            if prev[pos] >= 0, let l = merges[Self.key(ids[Int(prev[pos])], ids[pos])] {
                heap.push(Candidate(rank: l.rank, position: prev[pos], newID: l.newID))
            }
            if next[pos] >= 0, let r = merges[Self.key(ids[pos], ids[Int(next[pos])])] {
                heap.push(Candidate(rank: r.rank, position: Int32(pos), newID: r.newID))
            }
        }
        var out: [Int32] = []
        out.reserveCapacity(n)
        for i in 0..<n where alive[i] { out.append(ids[i]) }
        return out
    }
}

/// A binary min-heap; only what `BPEMerger` needs.
struct MinHeap<Element: Comparable> {
    private var items: [Element] = []

    mutating func push(_ x: Element) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i] < items[parent] else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if items.isEmpty { return first }
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count, items[l] < items[smallest] { smallest = l }
            if r < items.count, items[r] < items[smallest] { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return first
    }
}

/// Remembers the ids of recently seen pieces: natural text repeats words constantly, and BPE on a
/// word costs far more than a dictionary lookup. Bounded like `tokenizers`' cache (10,000 words).
final class BPECache: @unchecked Sendable {
    private var entries: [ArraySlice<UInt8>: [Int]] = [:]
    private let lock = NSLock()
    private let capacity: Int
    /// Longer pieces are rare and would make the cache's memory unbounded.
    static let maxPieceLength = 64

    init(capacity: Int = 10_000) { self.capacity = capacity }

    func ids(for piece: ArraySlice<UInt8>, compute: (ArraySlice<UInt8>) -> [Int]) -> [Int] {
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
