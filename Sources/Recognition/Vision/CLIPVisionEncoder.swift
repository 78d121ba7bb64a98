import Tensor

/// OpenAI CLIP's `VisionTransformer` (DFER-CLIP's `image_encoder`): patch conv (im2col + one sgemm),
/// class token, learned positions, `ln_pre`, pre-LN QuickGELU blocks, `ln_post` on the class token, `proj`.
/// All frames of a clip go through together: each projection is one sgemm over frames x tokens rows.
final class CLIPVisionEncoder: @unchecked Sendable {
    let config: RecognizerConfig.Vision
    let embedDim: Int
    let conv1: Linear
    let classEmbedding: [Float]
    let positionalEmbedding: [Float]
    let lnPre: LayerNorm
    let blocks: [CLIPResidualBlock]
    let lnPost: LayerNorm
    let proj: Linear

    var grid: Int { config.imageSize / config.patchSize }
    var tokens: Int { grid * grid + 1 }

    init(config: RecognizerConfig.Vision, embedDim: Int, weights: RecognizerWeights) throws {
        self.config = config
        self.embedDim = embedDim
        let w = config.width, p = config.patchSize
        _ = try weights.tensor("image_encoder.conv1.weight", shape: [w, 3, p, p])
        conv1 = Linear(weight: try weights.tensor("image_encoder.conv1.weight", reshapedTo: [w, 3 * p * p]), bias: nil,
                       widenHalf: weights.widenHalf)
        classEmbedding = try weights.floats("image_encoder.class_embedding", shape: [w])
        let grid = config.imageSize / p
        positionalEmbedding = try weights.floats("image_encoder.positional_embedding", shape: [grid * grid + 1, w])
        lnPre = try weights.layerNorm("image_encoder.ln_pre", width: w)
        blocks = try (0..<config.layers).map {
            try CLIPResidualBlock(prefix: "image_encoder.transformer.resblocks.\($0)", width: w, heads: config.heads, weights: weights)
        }
        lnPost = try weights.layerNorm("image_encoder.ln_post", width: w)
        proj = try weights.projection("image_encoder.proj", in: w, out: embedDim)
    }

    var scratchCount: Int { (blocks.map(\.scratchCount) + [conv1.scratchCount]).max()! }

    /// `pixels`: `frames` images of 3 x imageSize x imageSize floats (CHW). Writes [frames, embedDim] to `out`.
    func forward(pixels: UnsafePointer<Float>, frames: Int, into out: UnsafeMutablePointer<Float>, workspace ws: VisionWorkspace) {
        let w = config.width, p = config.patchSize, size = config.imageSize, g = grid, t = tokens
        let patchWidth = 3 * p * p
        let cols = ws.blocks.mlp.pointer
        let h = ws.hidden.pointer
        for f in 0..<frames {
            // im2col: row = patch (row-major over the grid), column = (channel, ky, kx) as the conv kernel is laid out.
            let image = pixels + f * 3 * size * size
            for py in 0..<g {
                for px in 0..<g {
                    let row = cols + (f * g * g + py * g + px) * patchWidth
                    for c in 0..<3 {
                        for ky in 0..<p {
                            (row + c * p * p + ky * p).update(from: image + c * size * size + (py * p + ky) * size + px * p, count: p)
                        }
                    }
                }
            }
        }
        // One sgemm for every patch of every frame, then each frame's rows go after its class row.
        let patches = ws.blocks.qkv.pointer
        conv1.apply(cols, rows: frames * g * g, into: patches, scratch: ws.blocks.scratch.pointer)
        for f in 0..<frames {
            let frame = h + f * t * w
            for i in 0..<w { frame[i] = classEmbedding[i] }
            (frame + w).update(from: patches + f * g * g * w, count: g * g * w)
            positionalEmbedding.withUnsafeBufferPointer { pos in
                for i in 0..<(t * w) { frame[i] += pos[i] }
            }
        }
        lnPre.apply(h, rows: frames * t, into: h)
        for block in blocks { block.forward(h, sequences: frames, tokens: t, causal: false, workspace: ws.blocks) }
        let classRows = ws.blocks.normed.pointer
        for f in 0..<frames { lnPost.apply(h + f * t * w, rows: 1, into: classRows + f * w) }
        proj.apply(classRows, rows: frames, into: out, scratch: nil)
    }
}

/// The image encoder's activations for up to `maxFrames` frames.
final class VisionWorkspace {
    let hidden: FloatBuffer
    let blocks: BlockWorkspace

    init(encoder: CLIPVisionEncoder, maxFrames: Int) {
        let c = encoder.config, t = encoder.tokens, rows = maxFrames * t
        hidden = FloatBuffer(count: rows * c.width)
        blocks = BlockWorkspace(rows: rows, width: c.width, mlpWidth: 4 * c.width, tokens: t,
                                scratchCount: encoder.scratchCount,
                                extraMLP: maxFrames * (t - 1) * 3 * c.patchSize * c.patchSize)
    }
}
