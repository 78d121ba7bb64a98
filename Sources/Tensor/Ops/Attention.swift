import CBLAS

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
/// row stride 3*width), so no head is ever copied out. `scores` needs queryRows*keyRows floats.
public enum Attention {
    public static func multiHead(
        q: UnsafePointer<Float>, ldq: Int,
        k: UnsafePointer<Float>, ldk: Int,
        v: UnsafePointer<Float>, ldv: Int,
        out: UnsafeMutablePointer<Float>, ldo: Int,
        queryRows: Int, keyRows: Int, heads: Int, headDim: Int, scale: Float,
        causalOffset: Int? = nil,
        scores: UnsafeMutablePointer<Float>,
        tap: AttentionTap? = nil
    ) {
        for h in 0..<heads {
            let off = h * headDim
            // scores = scale * Q_h K_h^T
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(queryRows), Int32(keyRows), Int32(headDim),
                        scale, q + off, Int32(ldq), k + off, Int32(ldk), 0, scores, Int32(keyRows))
            for r in 0..<queryRows {
                let row = scores + r * keyRows
                // Causal: query r (absolute position causalOffset + r) sees keys 0...causalOffset + r.
                var visible = keyRows
                if let causalOffset {
                    visible = min(keyRows, causalOffset + r + 1)
                    for c in visible..<keyRows { row[c] = 0 }
                }
                softmaxInPlace(row, count: visible)
            }
            tap?.add(scores, queryRows: queryRows, keyRows: keyRows)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(queryRows), Int32(headDim), Int32(keyRows),
                        1, scores, Int32(keyRows), v + off, Int32(ldv), 0, out + off, Int32(ldo))
        }
    }
}
