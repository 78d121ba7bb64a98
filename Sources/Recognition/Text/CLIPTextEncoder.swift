import Tensor

/// CLIP's text transformer as DFER-CLIP's `TextEncoder` runs it: prompt embeddings (not token ids, so
/// learned context vectors can stand in for words) plus `positional_embedding`, causal pre-LN QuickGELU
/// blocks, `ln_final`, the row at each prompt's EOT token times `text_projection`.
/// Used once per model at load: the class prompts do not change after training.
struct CLIPTextEncoder {
    let config: RecognizerConfig.Text
    let embedDim: Int
    let positionalEmbedding: [Float]
    let blocks: [CLIPResidualBlock]
    let lnFinal: LayerNorm
    let textProjection: Linear

    init(config: RecognizerConfig.Text, embedDim: Int, weights: RecognizerWeights) throws {
        self.config = config
        self.embedDim = embedDim
        let w = config.width
        positionalEmbedding = try weights.floats("text_encoder.positional_embedding", shape: [config.contextLength, w])
        blocks = try (0..<config.layers).map {
            try CLIPResidualBlock(prefix: "text_encoder.transformer.resblocks.\($0)", width: w, heads: config.heads, weights: weights)
        }
        lnFinal = try weights.layerNorm("text_encoder.ln_final", width: w)
        textProjection = try weights.projection("text_encoder.text_projection", in: w, out: embedDim)
    }

    /// `prompts`: [classes, context_length, width] embeddings; `eot`: each prompt's EOT position.
    /// Returns [classes, embedDim] text features, not normalised.
    func features(prompts: [Float], eot: [Int]) -> [Float] {
        let n = eot.count, t = config.contextLength, w = config.width
        let scratch = (blocks.map(\.scratchCount) + [0]).max()!
        let ws = BlockWorkspace(rows: n * t, width: w, mlpWidth: 4 * w, tokens: t, scratchCount: scratch)
        let h = FloatBuffer(prompts)
        for c in 0..<n {
            for i in 0..<(t * w) { h[c * t * w + i] += positionalEmbedding[i] }
        }
        for block in blocks { block.forward(h.pointer, sequences: n, tokens: t, causal: true, workspace: ws) }
        let rows = FloatBuffer(count: n * w)
        for c in 0..<n { lnFinal.apply(h.pointer + (c * t + eot[c]) * w, rows: 1, into: rows.pointer + c * w) }
        let out = FloatBuffer(count: n * embedDim)
        textProjection.apply(rows.pointer, rows: n, into: out.pointer, scratch: nil)
        return out.array()
    }
}
