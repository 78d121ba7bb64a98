import Tensor

/// The OPT decoder weights (`language_model.model.decoder.*` + `language_model.lm_head`), shared read-only
/// by every captioner that uses the same language model and by every caption job at once.
/// Per-job state (KV cache, activations) lives in `OPTSession`.
public final class OPTModel: @unchecked Sendable {
    let config: OPTConfig
    let embedTokens: TensorView
    let embedPositions: TensorView
    let layers: [OPTLayer]
    let finalLayerNorm: LayerNorm?
    let projectIn: Linear?
    let projectOut: Linear?
    let lmHead: Linear
    /// How the Linear weights are held (`.q8`: quantized to 8 bits at load).
    public let weightFormat: WeightFormat

    /// `prefix` is "language_model." for a full BLIP-2 checkpoint (also for a shared LM folder saved by facecap).
    public init(config: OPTConfig, weights: WeightSource, prefix: String = "language_model.", widenHalf: Bool,
                format: WeightFormat = .native) throws {
        self.config = config
        weightFormat = format
        let d = config.hiddenSize, e = config.embedWidth, v = config.vocabSize
        let decoder = prefix + "model.decoder."
        embedTokens = try weights.tensor(decoder + "embed_tokens.weight", shape: [v, e])
        embedPositions = try weights.tensor(decoder + "embed_positions.weight", shape: [config.maxPositionEmbeddings + 2, d])
        layers = try (0..<config.numHiddenLayers).map {
            try OPTLayer(config: config, prefix: decoder + "layers.\($0).", weights: weights, widenHalf: widenHalf, format: format)
        }
        finalLayerNorm = config.doLayerNormBefore && !config.removeFinalLayerNorm
            ? try weights.layerNorm(decoder + "final_layer_norm", width: d, eps: 1e-5, affine: config.layerNormElementwiseAffine)
            : nil
        projectIn = e != d ? try weights.linear(decoder + "project_in", out: d, in: e, bias: false, widenHalf: widenHalf, format: format) : nil
        projectOut = e != d ? try weights.linear(decoder + "project_out", out: e, in: d, bias: false, widenHalf: widenHalf, format: format) : nil
        // lm_head is tied to embed_tokens; a checkpoint may still store its own copy.
        let head = weights.contains(prefix + "lm_head.weight") ? try weights.tensor(prefix + "lm_head.weight", shape: [v, e]) : embedTokens
        lmHead = Linear(weight: head, bias: nil, widenHalf: widenHalf, format: format)
    }

    var scratchCount: Int {
        ([lmHead.scratchCount, projectIn?.scratchCount ?? 0, projectOut?.scratchCount ?? 0] + layers.map(\.scratchCount)).max()!
    }

    /// Writes the embedding row of `token` (width `embedWidth`).
    @inline(__always)
    func embed(token: Int, into out: UnsafeMutablePointer<Float>) {
        let e = config.embedWidth
        embedTokens.widen(from: token * e, count: e, into: out)
    }
}

/// One pre-LN OPT block (post-LN when `do_layer_norm_before` is false, as in opt-350m).
struct OPTLayer {
    let selfAttnLayerNorm: LayerNorm
    let qProj, kProj, vProj, outProj: Linear
    let finalLayerNorm: LayerNorm
    let fc1, fc2: Linear
    let activation: Activation

    init(config: OPTConfig, prefix: String, weights: WeightSource, widenHalf: Bool, format: WeightFormat) throws {
        let d = config.hiddenSize, bias = config.enableBias, affine = config.layerNormElementwiseAffine
        selfAttnLayerNorm = try weights.layerNorm(prefix + "self_attn_layer_norm", width: d, eps: 1e-5, affine: affine)
        qProj = try weights.linear(prefix + "self_attn.q_proj", out: d, in: d, bias: bias, widenHalf: widenHalf, format: format)
        kProj = try weights.linear(prefix + "self_attn.k_proj", out: d, in: d, bias: bias, widenHalf: widenHalf, format: format)
        vProj = try weights.linear(prefix + "self_attn.v_proj", out: d, in: d, bias: bias, widenHalf: widenHalf, format: format)
        outProj = try weights.linear(prefix + "self_attn.out_proj", out: d, in: d, bias: bias, widenHalf: widenHalf, format: format)
        finalLayerNorm = try weights.layerNorm(prefix + "final_layer_norm", width: d, eps: 1e-5, affine: affine)
        fc1 = try weights.linear(prefix + "fc1", out: config.ffnDim, in: d, bias: bias, widenHalf: widenHalf, format: format)
        fc2 = try weights.linear(prefix + "fc2", out: d, in: config.ffnDim, bias: bias, widenHalf: widenHalf, format: format)
        activation = try Activation(configName: config.activationFunction)
    }

    var scratchCount: Int { [qProj, kProj, vProj, outProj, fc1, fc2].map(\.scratchCount).max()! }
}

extension OPTModel {
    /// Bytes per weight as stored in memory (4 when widened at load or stored F32, ~1.06 for q8).
    public var bytesPerWeight: Double { lmHead.storedBytesPerWeight }
}

