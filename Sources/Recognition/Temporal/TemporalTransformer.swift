import Tensor

/// DFER-CLIP's `Temporal_Transformer_Cls`: a learnable class token before the frame embeddings, learned
/// positions, layers of [Residual(PreNorm(Attention)), Residual(PreNorm(FeedForward))] with the tanh
/// GELU, no final LayerNorm; the class token's output is the video feature.
struct TemporalTransformer {
    let config: RecognizerConfig.Temporal
    let dim: Int
    let clsToken: [Float]
    let posEmbedding: [Float]
    let layers: [Layer]

    struct Layer {
        let attnNorm: LayerNorm
        let toQKV: Linear
        let toOut: Linear
        let ffNorm: LayerNorm
        let ff1: Linear
        let ff2: Linear
    }

    init(config: RecognizerConfig.Temporal, dim: Int, weights: RecognizerWeights) throws {
        self.config = config
        self.dim = dim
        let inner = config.heads * config.dimHead
        clsToken = try weights.floats("temporal_net.cls_token", shape: [1, 1, dim])
        posEmbedding = try weights.floats("temporal_net.pos_embedding", shape: [1, config.frames + 1, dim])
        layers = try (0..<config.layers).map { l in
            let p = "temporal_net.temporal_transformer.layers.\(l)"
            return Layer(attnNorm: try weights.layerNorm(p + ".0.fn.norm", width: dim),
                         toQKV: try weights.linear(p + ".0.fn.fn.to_qkv", out: 3 * inner, in: dim, bias: false),
                         toOut: try weights.linear(p + ".0.fn.fn.to_out.0", out: dim, in: inner),
                         ffNorm: try weights.layerNorm(p + ".1.fn.norm", width: dim),
                         ff1: try weights.linear(p + ".1.fn.fn.net.0", out: config.mlpDim, in: dim),
                         ff2: try weights.linear(p + ".1.fn.fn.net.3", out: dim, in: config.mlpDim))
        }
    }

    var scratchCount: Int { layers.flatMap { [$0.toQKV, $0.toOut, $0.ff1, $0.ff2].map(\.scratchCount) }.max() ?? 0 }

    /// `frames`: [config.frames, dim] frame embeddings. Writes the class token's output ([dim]) to `out`.
    func forward(frames: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, workspace ws: TemporalWorkspace) {
        let n = config.frames + 1, d = dim, inner = config.heads * config.dimHead
        let h = ws.hidden.pointer, x = ws.normed.pointer, s = ws.scratch.pointer
        for i in 0..<d { h[i] = clsToken[i] }
        (h + d).update(from: frames, count: config.frames * d)
        for i in 0..<(n * d) { h[i] += posEmbedding[i] }
        for layer in layers {
            layer.attnNorm.apply(h, rows: n, into: x)
            layer.toQKV.apply(x, rows: n, into: ws.qkv.pointer, scratch: s)
            let qkv = ws.qkv.pointer
            Attention.multiHead(q: qkv, ldq: 3 * inner, k: qkv + inner, ldk: 3 * inner, v: qkv + 2 * inner, ldv: 3 * inner,
                                out: ws.context.pointer, ldo: inner, queryRows: n, keyRows: n, heads: config.heads,
                                headDim: config.dimHead, scale: 1 / Float(config.dimHead).squareRoot(), scores: ws.scores)
            layer.toOut.apply(ws.context.pointer, rows: n, into: h, scratch: s, accumulate: true)
            layer.ffNorm.apply(h, rows: n, into: x)
            layer.ff1.apply(x, rows: n, into: ws.mlp.pointer, scratch: s)
            Activation.geluTanh.apply(ws.mlp.pointer, count: n * config.mlpDim)
            layer.ff2.apply(ws.mlp.pointer, rows: n, into: h, scratch: s, accumulate: true)
        }
        out.update(from: h, count: d)
    }
}

final class TemporalWorkspace {
    let hidden, normed, qkv, context, mlp, scores, scratch: FloatBuffer

    init(_ t: TemporalTransformer) {
        let n = t.config.frames + 1, inner = t.config.heads * t.config.dimHead
        hidden = FloatBuffer(count: n * t.dim)
        normed = FloatBuffer(count: n * t.dim)
        qkv = FloatBuffer(count: n * 3 * inner)
        context = FloatBuffer(count: n * inner)
        mlp = FloatBuffer(count: n * t.config.mlpDim)
        scores = FloatBuffer(count: n * n)
        scratch = FloatBuffer(count: max(t.scratchCount, 1))
    }
}
