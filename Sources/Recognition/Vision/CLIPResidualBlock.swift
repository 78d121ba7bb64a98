import Tensor

/// CLIP's `ResidualAttentionBlock`, shared by its image and text transformers:
/// x += out_proj(attn(ln_1 x)); x += c_proj(QuickGELU(c_fc(ln_2 x))).
///
/// It runs on several sequences stacked row-wise (the frames of a clip, the prompts of the classes):
/// every projection is one sgemm over all their rows, attention stays within each sequence.
struct CLIPResidualBlock {
    let ln1: LayerNorm
    let inProj: Linear
    let outProj: Linear
    let ln2: LayerNorm
    let fc: Linear
    let proj: Linear
    let heads: Int
    let width: Int

    init(prefix: String, width: Int, heads: Int, weights: RecognizerWeights) throws {
        self.width = width
        self.heads = heads
        ln1 = try weights.layerNorm(prefix + ".ln_1", width: width)
        // nn.MultiheadAttention keeps q, k and v as one [3 * width, width] matrix: a fused qkv.
        inProj = Linear(weight: try weights.tensor(prefix + ".attn.in_proj_weight", shape: [3 * width, width]),
                        bias: try weights.tensor(prefix + ".attn.in_proj_bias", shape: [3 * width]), widenHalf: weights.widenHalf)
        outProj = try weights.linear(prefix + ".attn.out_proj", out: width, in: width)
        ln2 = try weights.layerNorm(prefix + ".ln_2", width: width)
        fc = try weights.linear(prefix + ".mlp.c_fc", out: 4 * width, in: width)
        proj = try weights.linear(prefix + ".mlp.c_proj", out: width, in: 4 * width)
    }

    var scratchCount: Int { [inProj, outProj, fc, proj].map(\.scratchCount).max()! }

    /// `h`: `sequences * tokens` rows of `width`, updated in place.
    func forward(_ h: UnsafeMutablePointer<Float>, sequences: Int, tokens t: Int, causal: Bool, workspace ws: BlockWorkspace) {
        let d = width, hd = d / heads, rows = sequences * t
        let x = ws.normed.pointer, qkv = ws.qkv.pointer, ctx = ws.context.pointer, s = ws.scratch.pointer
        ln1.apply(h, rows: rows, into: x)
        inProj.apply(x, rows: rows, into: qkv, scratch: s)
        for q in 0..<sequences {
            let base = qkv + q * t * 3 * d
            Attention.multiHead(q: base, ldq: 3 * d, k: base + d, ldk: 3 * d, v: base + 2 * d, ldv: 3 * d,
                                out: ctx + q * t * d, ldo: d, queryRows: t, keyRows: t, heads: heads, headDim: hd,
                                scale: 1 / Float(hd).squareRoot(), causalOffset: causal ? 0 : nil, scores: ws.scores)
        }
        outProj.apply(ctx, rows: rows, into: h, scratch: s, accumulate: true)
        ln2.apply(h, rows: rows, into: x)
        fc.apply(x, rows: rows, into: ws.mlp.pointer, scratch: s)
        Activation.quickGelu.apply(ws.mlp.pointer, count: rows * fc.outFeatures)
        proj.apply(ws.mlp.pointer, rows: rows, into: h, scratch: s, accumulate: true)
    }
}

/// Activations of a stack of transformer blocks for up to `rows` rows, allocated once and reused.
final class BlockWorkspace {
    let normed, qkv, context, mlp, scores, scratch: FloatBuffer

    init(rows: Int, width: Int, mlpWidth: Int, tokens: Int, scratchCount: Int, extraMLP: Int = 0) {
        normed = FloatBuffer(count: rows * width)
        qkv = FloatBuffer(count: rows * 3 * width)
        context = FloatBuffer(count: rows * width)
        mlp = FloatBuffer(count: max(rows * mlpWidth, extraMLP))
        scores = FloatBuffer(count: tokens * tokens)
        scratch = FloatBuffer(count: max(scratchCount, 1))
    }
}
