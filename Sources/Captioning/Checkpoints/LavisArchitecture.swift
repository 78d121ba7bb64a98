import Tensor

/// A LAVIS checkpoint's architecture, read from its tensors' shapes (layer counts, widths, image and
/// patch size, query count, cross-attention spacing) plus `Blip2Preset` for head counts. The OPT side
/// comes from the language model's own `config.json`.
enum LavisArchitecture {
    /// Tensors the shapes are read from; without them the file is not a LAVIS BLIP-2 OPT checkpoint.
    static let anchors = [
        "vision_model.embeddings.class_embedding", "vision_model.embeddings.position_embedding",
        "vision_model.embeddings.patch_embedding.weight", "vision_model.encoder.layers.0.mlp.fc1.weight",
        "query_tokens", "qformer.encoder.layer.0.intermediate_query.dense.weight", "language_projection.weight",
    ]

    static func infer(_ weights: [String: TensorView], text: OPTConfig, origin: String) throws -> Blip2Config {
        let missing = anchors.filter { weights[$0] == nil }
        guard missing.isEmpty else {
            throw InputError(origin, "is not a LAVIS BLIP-2 OPT checkpoint: missing \(missing.map(LavisNames.lavisName).joined(separator: ", "))")
        }
        func shape(_ name: String, rank: Int) throws -> [Int] {
            let s = weights[name]!.shape
            guard s.count == rank else {
                throw InputError(origin, "tensor \(LavisNames.lavisName(name)) has shape \(s); expected \(rank) dimensions")
            }
            return s
        }
        func layers(_ pattern: NamePattern) -> [Int] {
            Set(weights.keys.compactMap { pattern.match($0)?.number.flatMap { Int($0) } }).sorted()
        }

        var vision = VisionConfig()
        let cls = try shape("vision_model.embeddings.class_embedding", rank: 3)
        vision.hiddenSize = cls[2]
        let patch = try shape("vision_model.embeddings.patch_embedding.weight", rank: 4)
        vision.patchSize = patch[2]
        let positions = try shape("vision_model.embeddings.position_embedding", rank: 3)[1]
        let grid = Int(Double(positions - 1).squareRoot().rounded())
        guard grid * grid == positions - 1 else {
            throw InputError(origin, "visual_encoder.pos_embed has \(positions) rows, not 1 + a square number of patches")
        }
        vision.imageSize = grid * vision.patchSize
        vision.numHiddenLayers = layers("vision_model.encoder.layers.*.layer_norm1").count
        vision.intermediateSize = try shape("vision_model.encoder.layers.0.mlp.fc1.weight", rank: 2)[0]
        vision.qkvBias = weights["vision_model.encoder.layers.0.self_attn.qkv.bias"] != nil
        vision.layerNormEps = Blip2Preset.visionBlockEps
        vision.postLayerNormEps = Blip2Preset.lnVisionEps
        guard let visionPreset = Blip2Preset.vision[vision.hiddenSize] else {
            throw InputError(origin, "image encoder width \(vision.hiddenSize) has no preset for its head count (known: \(Blip2Preset.vision.keys.sorted())); put a config.json (transformers Blip2Config) beside the checkpoint")
        }
        vision.numAttentionHeads = visionPreset.heads

        var qformer = QFormerConfig()
        let queries = try shape("query_tokens", rank: 3)
        qformer.hiddenSize = queries[2]
        qformer.numHiddenLayers = layers("qformer.encoder.layer.*.attention.attention.query").count
        qformer.intermediateSize = try shape("qformer.encoder.layer.0.intermediate_query.dense.weight", rank: 2)[0]
        let cross = layers("qformer.encoder.layer.*.crossattention.attention.query")
        qformer.crossAttentionFrequency = zip(cross, cross.dropFirst()).map { $1 - $0 }.min() ?? max(qformer.numHiddenLayers, 1)
        qformer.layerNormEps = Blip2Preset.qformerEps
        qformer.encoderHiddenSize = vision.hiddenSize
        guard let qformerPreset = Blip2Preset.qformer[qformer.hiddenSize] else {
            throw InputError(origin, "Q-Former width \(qformer.hiddenSize) has no preset for its head count (known: \(Blip2Preset.qformer.keys.sorted())); put a config.json (transformers Blip2Config) beside the checkpoint")
        }
        qformer.numAttentionHeads = qformerPreset.heads

        let config = Blip2Config(visionConfig: vision, qformerConfig: qformer, textConfig: text, numQueryTokens: queries[1])
        try config.validate(path: origin)
        return config
    }
}
