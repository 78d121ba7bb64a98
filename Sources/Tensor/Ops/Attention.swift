
/// Where to add up attention probabilities while they exist (they are overwritten head by head):
/// `sum[r - firstRow][c] += weight * p_head[r][c]` for query rows `firstRow..<queryRows` and key columns
/// `0..<keyColumns`. An average over heads (and layers) is a weight of 1 / (heads * layers). Used only
/// when a caller records attention; nil costs nothing.
public struct AttentionTap {
    public var sum: UnsafeMutablePointer<Float>
    public var firstRow: Int
    public var keyColumns: Int
    public var weight: Float

    public init(sum: UnsafeMutablePointer<Float>, firstRow: Int, keyColumns: Int, weight: Float) {
        self.sum = sum
        self.firstRow = firstRow
        self.keyColumns = keyColumns
        self.weight = weight
    }

    /// Adds one head's probability rows (row stride `keyRows`).
    @inline(__always)
    func add(_ probabilities: UnsafePointer<Float>, queryRows: Int, keyRows: Int) {
        let columns = min(keyColumns, keyRows)
        for r in max(0, firstRow)..<queryRows {
            let from = probabilities + r * keyRows, to = sum + (r - firstRow) * keyColumns
            for c in 0..<columns { to[c] += weight * from[c] }
        }
    }
}

/// Multi-head scaled dot-product attention over strided Q/K/V, one sgemm pair per head.
///
/// Q, K and V are read in place from wherever the projections wrote them (a fused qkv buffer has
/// row stride 3*width), so no head is ever copied out. `scores` needs queryRows*keyRows floats; with
/// `scoresCount` (one probability matrix per head) the cores take heads in parallel, each head's
/// arithmetic unchanged, and a tap adds the heads in order afterwards, so results are the same.
public enum Attention {
    /// Floats of `scores` for every head at once.
    public static func scoresCount(queryRows: Int, keyRows: Int, heads: Int) -> Int { heads * queryRows * keyRows }

    /// Below this many multiply-adds one core runs the heads (a decoding step's attention stays here).
    static let parallelThreshold = 1 << 18

    public static func multiHead(
        q: UnsafePointer<Float>, ldq: Int,
        k: UnsafePointer<Float>, ldk: Int,
        v: UnsafePointer<Float>, ldv: Int,
        out: UnsafeMutablePointer<Float>, ldo: Int,
        queryRows: Int, keyRows: Int, heads: Int, headDim: Int, scale: Float,
        causalOffset: Int? = nil,
        scores: FloatBuffer,
        tap: AttentionTap? = nil
    ) {
        let perHead = queryRows * keyRows
        func head(_ h: Int, _ probabilities: UnsafeMutablePointer<Float>) {
            let off = h * headDim
            // probabilities = scale * Q_h K_h^T, then softmax by row
            BLAS.sgemm(transposeB: true, m: queryRows, n: keyRows, k: headDim, alpha: scale, a: q + off, lda: ldq,
                       b: k + off, ldb: ldk, c: probabilities, ldc: keyRows)
            for r in 0..<queryRows {
                let row = probabilities + r * keyRows
                // Causal: query r (absolute position causalOffset + r) sees keys 0...causalOffset + r.
                var visible = keyRows
                if let causalOffset {
                    visible = min(keyRows, causalOffset + r + 1)
                    for c in visible..<keyRows { row[c] = 0 }
                }
                softmaxInPlace(row, count: visible)
            }
            BLAS.sgemm(transposeB: false, m: queryRows, n: headDim, k: keyRows, alpha: 1, a: probabilities, lda: keyRows,
                       b: v + off, ldb: ldv, c: out + off, ldc: ldo)
        }
        let parallel = heads > 1 && ProcessorCount.value > 1 && scores.count >= heads * perHead
            && heads * perHead * headDim >= parallelThreshold
        guard parallel else {
            for h in 0..<heads {
                head(h, scores.pointer)
                tap?.add(scores.pointer, queryRows: queryRows, keyRows: keyRows)
            }
            return
        }
        Parallel.ranges(heads) { range in
            for h in range { head(h, scores.pointer + h * perHead) }
        }
        if let tap {
            for h in 0..<heads { tap.add(scores.pointer + h * perHead, queryRows: queryRows, keyRows: keyRows) }
        }
    }

    /// One new query row per sequence (a decoding step of `batch` sequences, greedy or beams), each
    /// against its own cache: sequence b's query row is q + b * ldq, its keys and values k and v +
    /// b * sequenceStride (row stride `ld`), its output out + b * ldo, and its probability row
    /// scores + b * keys. Each step reads every sequence's whole cache (at OPT-2.7B, 5 beams x 32
    /// layers x 2 x 2560 floats a position, ~3 MB): on one core that was ~18 ms of a 220 ms beam-5
    /// step at ~50 positions while the other core waited, ~11 ms split over two. Large enough
    /// steps split the sequences over the cores; a sequence's heads, and its tap, keep their order,
    /// so results do not depend on the split. With `tap`, sequence b's probabilities are added at
    /// tap.sum + b * tapStride.
    public static func oneRowPerSequence(
        q: UnsafePointer<Float>, ldq: Int,
        k: UnsafePointer<Float>, v: UnsafePointer<Float>, ld: Int, sequenceStride: Int,
        out: UnsafeMutablePointer<Float>, ldo: Int,
        batch: Int, keys: Int, heads: Int, headDim: Int,
        scores: FloatBuffer,
        tap: AttentionTap? = nil, tapStride: Int = 0
    ) {
        precondition(scores.count >= batch * keys)
        func sequence(_ b: Int) {
            let probabilities = scores.pointer + b * keys
            let sequenceTap = tap.map { AttentionTap(sum: $0.sum + b * tapStride, firstRow: 0, keyColumns: $0.keyColumns, weight: $0.weight) }
            for h in 0..<heads {
                let off = h * headDim
                BLAS.sgemv(transpose: false, rows: keys, columns: headDim, a: k + b * sequenceStride + off, lda: ld,
                           x: q + b * ldq + off, y: probabilities)
                softmaxInPlace(probabilities, count: keys)
                sequenceTap?.add(probabilities, queryRows: 1, keyRows: keys)
                BLAS.sgemv(transpose: true, rows: keys, columns: headDim, a: v + b * sequenceStride + off, lda: ld,
                           x: probabilities, y: out + b * ldo + off)
            }
        }
        guard batch > 1 && ProcessorCount.value > 1 && batch * heads * keys * headDim >= parallelThreshold else {
            for b in 0..<batch { sequence(b) }
            return
        }
        Parallel.ranges(batch) { range in
            for b in range { sequence(b) }
        }
    }
}
