import Tensor

/// `Blip2QFormerModel` as BLIP-2 captioning uses it: only the learned queries pass through (no text
/// input), so every layer uses the `intermediate_query` / `output_query` feed-forward weights.
/// Post-LN BERT blocks; cross-attention to the image every `cross_attention_frequency` layers.
final class QFormer: @unchecked Sendable {
    let config: QFormerConfig
    let queryTokens: [Float]
    let queryCount: Int
    let embeddingLayerNorm: LayerNorm
    let layers: [QFormerLayer]

    init(config: QFormerConfig, queryCount: Int, visionWidth: Int, weights: WeightSource, widenHalf: Bool) throws {
        self.config = config
        self.queryCount = queryCount
        let d = config.hiddenSize
        if let encoderWidth = config.encoderHiddenSize, encoderWidth != visionWidth {
            throw InputError(weights.origin, "qformer_config.encoder_hidden_size \(encoderWidth) differs from vision hidden_size \(visionWidth)")
        }
        queryTokens = try weights.tensor("query_tokens", shape: [1, queryCount, d]).floats()
        embeddingLayerNorm = try weights.layerNorm("qformer.layernorm", width: d, eps: config.layerNormEps)
        layers = try (0..<config.numHiddenLayers).map { i in
            try QFormerLayer(config: config, index: i, visionWidth: visionWidth, weights: weights, widenHalf: widenHalf)
        }
    }

    var scratchCount: Int { layers.map(\.scratchCount).max() ?? 0 }

    /// imageEmbeds: [imageTokens, visionWidth]. Returns [queryCount, hiddenSize].
    func forward(imageEmbeds: UnsafePointer<Float>, imageTokens: Int, workspace ws: QFormerWorkspace) -> UnsafeMutablePointer<Float> {
        let h = ws.hidden.pointer
        queryTokens.withUnsafeBufferPointer { h.update(from: $0.baseAddress!, count: $0.count) }
        embeddingLayerNorm.apply(h, rows: queryCount, into: h)
        var tap: AttentionTap?
        if let sum = ws.crossAttention {
            // Recording: the mean over heads and cross-attention layers, [queries, imageTokens].
            sum.pointer.update(repeating: 0, count: queryCount * imageTokens)
            let crossLayers = layers.filter { $0.crossAttention != nil }.count
            tap = AttentionTap(sum: sum.pointer, firstRow: 0, keyColumns: imageTokens,
                               weight: 1 / Float(max(1, crossLayers * config.numAttentionHeads)))
        }
        for layer in layers {
            layer.forward(h, queries: queryCount, imageEmbeds: imageEmbeds, imageTokens: imageTokens, workspace: ws,
                          crossAttentionTap: tap)
        }
        return h
    }
}

/// BERT-style multi-head attention followed by `output.dense` + residual + LayerNorm.
struct QFormerAttentionBlock {
    let query, key, value, dense: Linear
    let layerNorm: LayerNorm
    let heads: Int

    init(prefix: String, config: QFormerConfig, keyWidth: Int, weights: WeightSource, widenHalf: Bool) throws {
        let d = config.hiddenSize
        heads = config.numAttentionHeads
        query = try weights.linear(prefix + ".attention.query", out: d, in: d, widenHalf: widenHalf)
        key = try weights.linear(prefix + ".attention.key", out: d, in: keyWidth, widenHalf: widenHalf)
        value = try weights.linear(prefix + ".attention.value", out: d, in: keyWidth, widenHalf: widenHalf)
        dense = try weights.linear(prefix + ".output.dense", out: d, in: d, widenHalf: widenHalf)
        layerNorm = try weights.layerNorm(prefix + ".output.LayerNorm", width: d, eps: config.layerNormEps)
    }

    var scratchCount: Int { [query, key, value, dense].map(\.scratchCount).max()! }

    /// h = LN(h + dense(attn(q = h, kv = source))).
    func forward(_ h: UnsafeMutablePointer<Float>, rows: Int, source: UnsafePointer<Float>, sourceRows: Int, workspace ws: QFormerWorkspace,
                 tap: AttentionTap? = nil) {
        let d = query.outFeatures, hd = d / heads, s = ws.scratch.pointer
        query.apply(h, rows: rows, into: ws.q.pointer, scratch: s)
        key.apply(source, rows: sourceRows, into: ws.k.pointer, scratch: s)
        value.apply(source, rows: sourceRows, into: ws.v.pointer, scratch: s)
        Attention.multiHead(q: ws.q.pointer, ldq: d, k: ws.k.pointer, ldk: d, v: ws.v.pointer, ldv: d,
                            out: ws.context.pointer, ldo: d, queryRows: rows, keyRows: sourceRows,
                            heads: heads, headDim: hd, scale: 1 / Float(hd).squareRoot(), scores: ws.scores,
                            tap: tap)
        dense.apply(ws.context.pointer, rows: rows, into: h, scratch: s, accumulate: true)
        layerNorm.apply(h, rows: rows, into: h)
    }
}

struct QFormerLayer {
    let selfAttention: QFormerAttentionBlock
    let crossAttention: QFormerAttentionBlock?
    let intermediate: Linear
    let output: Linear
    let outputLayerNorm: LayerNorm
    let activation: Activation

    init(config: QFormerConfig, index: Int, visionWidth: Int, weights: WeightSource, widenHalf: Bool) throws {
        let prefix = "qformer.encoder.layer.\(index)", d = config.hiddenSize
        selfAttention = try QFormerAttentionBlock(prefix: prefix + ".attention", config: config, keyWidth: d,
                                                  weights: weights, widenHalf: widenHalf)
        crossAttention = index % config.crossAttentionFrequency == 0
            ? try QFormerAttentionBlock(prefix: prefix + ".crossattention", config: config, keyWidth: visionWidth,
                                        weights: weights, widenHalf: widenHalf)
            : nil
        intermediate = try weights.linear(prefix + ".intermediate_query.dense", out: config.intermediateSize, in: d, widenHalf: widenHalf)
        output = try weights.linear(prefix + ".output_query.dense", out: d, in: config.intermediateSize, widenHalf: widenHalf)
        outputLayerNorm = try weights.layerNorm(prefix + ".output_query.LayerNorm", width: d, eps: config.layerNormEps)
        activation = try Activation(configName: config.hiddenAct)
    }

    var scratchCount: Int {
        max(selfAttention.scratchCount, crossAttention?.scratchCount ?? 0, intermediate.scratchCount, output.scratchCount)
    }

    func forward(_ h: UnsafeMutablePointer<Float>, queries: Int, imageEmbeds: UnsafePointer<Float>, imageTokens: Int,
                 workspace ws: QFormerWorkspace, crossAttentionTap: AttentionTap? = nil) {
        selfAttention.forward(h, rows: queries, source: h, sourceRows: queries, workspace: ws)
        crossAttention?.forward(h, rows: queries, source: imageEmbeds, sourceRows: imageTokens, workspace: ws,
                                tap: crossAttentionTap)
        intermediate.apply(h, rows: queries, into: ws.ffn.pointer, scratch: ws.scratch.pointer)
        activation.apply(ws.ffn.pointer, count: queries * intermediate.outFeatures)
        output.apply(ws.ffn.pointer, rows: queries, into: h, scratch: ws.scratch.pointer, accumulate: true)
        outputLayerNorm.apply(h, rows: queries, into: h)
    }
}

final class QFormerWorkspace {
    let hidden, q, k, v, context, ffn, scores, scratch: FloatBuffer
    /// Set when recording attention: the cross-attention mean, [queries, imageTokens].
    let crossAttention: FloatBuffer?

    init(qformer: QFormer, imageTokens: Int, recordAttention: Bool = false) {
        let d = qformer.config.hiddenSize, n = qformer.queryCount
        let kv = max(imageTokens, n)
        hidden = FloatBuffer(count: n * d)
        q = FloatBuffer(count: n * d)
        k = FloatBuffer(count: kv * d)
        v = FloatBuffer(count: kv * d)
        context = FloatBuffer(count: n * d)
        ffn = FloatBuffer(count: n * qformer.config.intermediateSize)
        scores = FloatBuffer(count: Attention.scoresCount(queryRows: n, keyRows: kv, heads: qformer.config.numAttentionHeads))
        scratch = FloatBuffer(count: max(qformer.scratchCount, 1))
        crossAttention = recordAttention ? FloatBuffer(count: n * imageTokens) : nil
    }
}
