import Tensor

/// The EVA ViT of `Blip2VisionModel`: patch embedding (a strided conv, done as im2col + one sgemm),
/// class token, learned positions, pre-LN blocks, then `post_layernorm` on every token.
final class VisionEncoder: @unchecked Sendable {
    let config: VisionConfig
    let patchEmbedding: Linear
    let classEmbedding: [Float]
    let positionEmbedding: [Float]
    let layers: [VisionLayer]
    let postLayerNorm: LayerNorm

    var tokens: Int { config.numPatches + 1 }

    init(config: VisionConfig, weights: WeightSource, widenHalf: Bool) throws {
        self.config = config
        let d = config.hiddenSize, p = config.patchSize
        let prefix = "vision_model.embeddings"
        patchEmbedding = Linear(weight: try weights.tensor(prefix + ".patch_embedding.weight", reshapedTo: [d, 3 * p * p]),
                                bias: try weights.tensor(prefix + ".patch_embedding.bias", shape: [d]), widenHalf: widenHalf)
        _ = try weights.tensor(prefix + ".patch_embedding.weight", shape: [d, 3, p, p])
        classEmbedding = try weights.tensor(prefix + ".class_embedding", shape: [1, 1, d]).floats()
        positionEmbedding = try weights.tensor(prefix + ".position_embedding", shape: [1, config.numPatches + 1, d]).floats()
        layers = try (0..<config.numHiddenLayers).map {
            try VisionLayer(config: config, prefix: "vision_model.encoder.layers.\($0)", weights: weights, widenHalf: widenHalf)
        }
        postLayerNorm = try weights.layerNorm("vision_model.post_layernorm", width: d, eps: config.postLayerNormEps ?? config.layerNormEps)
    }

    var scratchCount: Int {
        layers.map(\.scratchCount).max().map { max($0, patchEmbedding.scratchCount) } ?? patchEmbedding.scratchCount
    }

    /// pixelValues: CHW floats of imageSize^2 * 3. Returns [tokens, hiddenSize] after post_layernorm.
    func forward(pixelValues: [Float], workspace ws: VisionWorkspace) -> [Float] {
        let d = config.hiddenSize, p = config.patchSize, size = config.imageSize
        let grid = size / p, patches = grid * grid, t = tokens
        // im2col: row = patch (row-major over the grid), column = (channel, ky, kx) as the conv kernel is laid out.
        pixelValues.withUnsafeBufferPointer { px in
            let cols = ws.mlp.pointer
            let rowWidth = 3 * p * p
            for py in 0..<grid {
                for pxIdx in 0..<grid {
                    let row = cols + (py * grid + pxIdx) * rowWidth
                    for c in 0..<3 {
                        for ky in 0..<p {
                            let src = px.baseAddress! + c * size * size + (py * p + ky) * size + pxIdx * p
                            (row + c * p * p + ky * p).update(from: src, count: p)
                        }
                    }
                }
            }
        }
        let h = ws.hidden.pointer
        patchEmbedding.apply(ws.mlp.pointer, rows: patches, into: h + d, scratch: ws.scratch.pointer)
        for i in 0..<d { h[i] = classEmbedding[i] }
        positionEmbedding.withUnsafeBufferPointer { pos in
            for i in 0..<(t * d) { h[i] += pos[i] }
        }
        for layer in layers { layer.forward(h, tokens: t, workspace: ws) }
        postLayerNorm.apply(h, rows: t, into: h)
        return ws.hidden.array(count: t * d)
    }
}

/// One pre-LN ViT block: x += proj(attn(LN1 x)); x += fc2(gelu(fc1(LN2 x))).
struct VisionLayer {
    let layerNorm1: LayerNorm
    let qkv: Linear
    let projection: Linear
    let layerNorm2: LayerNorm
    let fc1: Linear
    let fc2: Linear
    let activation: Activation
    let heads: Int
    let width: Int

    init(config: VisionConfig, prefix: String, weights: WeightSource, widenHalf: Bool) throws {
        let d = config.hiddenSize
        width = d
        heads = config.numAttentionHeads
        layerNorm1 = try weights.layerNorm(prefix + ".layer_norm1", width: d, eps: config.layerNormEps)
        // qkv has no bias when qkv_bias is false; with it the bias is cat(q_bias, 0, v_bias).
        qkv = try weights.linear(prefix + ".self_attn.qkv", out: 3 * d, in: d,
                                 bias: config.qkvBias, widenHalf: widenHalf)
        projection = try weights.linear(prefix + ".self_attn.projection", out: d, in: d, widenHalf: widenHalf)
        layerNorm2 = try weights.layerNorm(prefix + ".layer_norm2", width: d, eps: config.layerNormEps)
        fc1 = try weights.linear(prefix + ".mlp.fc1", out: config.intermediateSize, in: d, widenHalf: widenHalf)
        fc2 = try weights.linear(prefix + ".mlp.fc2", out: d, in: config.intermediateSize, widenHalf: widenHalf)
        activation = try Activation(configName: config.hiddenAct)
    }

    var scratchCount: Int { [qkv, projection, fc1, fc2].map(\.scratchCount).max()! }

    func forward(_ h: UnsafeMutablePointer<Float>, tokens t: Int, workspace ws: VisionWorkspace) {
        let d = width, hd = d / heads
        let x = ws.normed.pointer, qkvOut = ws.qkv.pointer, ctx = ws.context.pointer, s = ws.scratch.pointer
        layerNorm1.apply(h, rows: t, into: x)
        qkv.apply(x, rows: t, into: qkvOut, scratch: s)
        Attention.multiHead(q: qkvOut, ldq: 3 * d, k: qkvOut + d, ldk: 3 * d, v: qkvOut + 2 * d, ldv: 3 * d,
                            out: ctx, ldo: d, queryRows: t, keyRows: t, heads: heads, headDim: hd,
                            scale: 1 / Float(hd).squareRoot(), scores: ws.scores)
        projection.apply(ctx, rows: t, into: h, scratch: s, accumulate: true)
        layerNorm2.apply(h, rows: t, into: x)
        fc1.apply(x, rows: t, into: ws.mlp.pointer, scratch: s)
        activation.apply(ws.mlp.pointer, count: t * fc1.outFeatures)
        fc2.apply(ws.mlp.pointer, rows: t, into: h, scratch: s, accumulate: true)
    }
}

/// Activations for one image through the ViT, allocated once per caption job.
final class VisionWorkspace {
    let hidden, normed, qkv, context, mlp, scores, scratch: FloatBuffer

    init(encoder: VisionEncoder) {
        let c = encoder.config, t = encoder.tokens, d = c.hiddenSize, p = c.patchSize
        hidden = FloatBuffer(count: t * d)
        normed = FloatBuffer(count: t * d)
        qkv = FloatBuffer(count: t * 3 * d)
        context = FloatBuffer(count: t * d)
        mlp = FloatBuffer(count: max(t * c.intermediateSize, c.numPatches * 3 * p * p))
        scores = FloatBuffer(count: Attention.scoresCount(queryRows: t, keyRows: t, heads: c.numAttentionHeads))
        scratch = FloatBuffer(count: max(encoder.scratchCount, 1))
    }
}
