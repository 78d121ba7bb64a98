/// Where each generated token looked, as a map over the ViT's patch grid.
public struct CaptionAttention: Sendable, Hashable, Codable {
    public var gridRows: Int
    public var gridColumns: Int
    /// Per returned caption, per generated token (eos included): relevance per patch, row-major
    /// `gridRows x gridColumns`, summing to 1.
    public var tokenMaps: [[[Float]]]

    public init(gridRows: Int, gridColumns: Int, tokenMaps: [[[Float]]]) {
        self.gridRows = gridRows
        self.gridColumns = gridColumns
        self.tokenMaps = tokenMaps
    }
}

/// The map arithmetic. A token's language-model attention over the query positions (mean over
/// heads and layers) is chained through each query's Q-Former cross-attention over the image
/// (mean over heads and cross-attention layers): relevance[p] = sum_q lm[q] * cross[q][p]. That is
/// attention rollout over two hops, not a gradient: it says where the model attended, not why.
public enum AttentionMap {
    /// queryAttention: [tokens, queries] row-major; crossAttention: [queries, imageTokens] with the
    /// ViT's CLS token first. The CLS column is dropped (it has no place on the face) and each map
    /// is scaled to sum to 1; a map with no mass left becomes uniform.
    public static func tokenMaps(queryAttention: [Float], crossAttention: [Float], queries: Int,
                                 imageTokens: Int) -> [[Float]] {
        precondition(queries > 0 && crossAttention.count == queries * imageTokens && queryAttention.count % queries == 0)
        let patches = imageTokens - 1, tokens = queryAttention.count / queries
        return (0..<tokens).map { t in
            var map = [Float](repeating: 0, count: patches)
            for q in 0..<queries {
                let w = queryAttention[t * queries + q]
                let row = q * imageTokens + 1
                for p in 0..<patches { map[p] += w * crossAttention[row + p] }
            }
            return normalized(map)
        }
    }

    /// The mean of some token maps (a word's tokens, or a whole caption's), scaled to sum to 1;
    /// nil when no index is valid.
    public static func average(_ maps: [[Float]], tokens: [Int]) -> [Float]? {
        let valid = tokens.filter { maps.indices.contains($0) }
        guard let first = valid.first else { return nil }
        var sum = [Float](repeating: 0, count: maps[first].count)
        for t in valid { for p in sum.indices { sum[p] += maps[t][p] } }
        return normalized(sum)
    }

    /// Share of a map's mass inside rows `rows` (a band of the patch grid), for sanity figures.
    public static func mass(_ map: [Float], gridColumns: Int, rows: Range<Int>) -> Float {
        var total: Float = 0
        for r in rows { for c in 0..<gridColumns where r * gridColumns + c < map.count { total += map[r * gridColumns + c] } }
        return total
    }

    static func normalized(_ map: [Float]) -> [Float] {
        let total = map.reduce(0, +)
        guard total > 0, total.isFinite else { return [Float](repeating: 1 / Float(max(1, map.count)), count: map.count) }
        return map.map { $0 / total }
    }
}
