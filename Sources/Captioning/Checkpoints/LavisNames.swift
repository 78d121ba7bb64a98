import Tensor

/// LAVIS `Blip2OPT` state-dict names (the published AU-BLIP / Exp-BLIP `.pth` files) mapped to the
/// names the engine reads, which are transformers' `Blip2ForConditionalGeneration` names. One row
/// per rename, as transformers' `convert_blip_2_original_to_pytorch.py` does them (REFERENCE.md
/// sections 3 and 8); the one real transform is the fused qkv bias.
enum LavisNames {
    static let renames: [(lavis: NamePattern, engine: NamePattern)] = [
        ("visual_encoder.cls_token", "vision_model.embeddings.class_embedding"),
        ("visual_encoder.pos_embed", "vision_model.embeddings.position_embedding"),
        ("visual_encoder.patch_embed.proj", "vision_model.embeddings.patch_embedding"),
        ("visual_encoder.blocks.*.norm1", "vision_model.encoder.layers.*.layer_norm1"),
        ("visual_encoder.blocks.*.norm2", "vision_model.encoder.layers.*.layer_norm2"),
        ("visual_encoder.blocks.*.attn.qkv", "vision_model.encoder.layers.*.self_attn.qkv"),
        ("visual_encoder.blocks.*.attn.proj", "vision_model.encoder.layers.*.self_attn.projection"),
        ("visual_encoder.blocks.*.mlp", "vision_model.encoder.layers.*.mlp"),
        ("ln_vision", "vision_model.post_layernorm"),
        ("query_tokens", "query_tokens"),
        ("Qformer.bert.embeddings.LayerNorm", "qformer.layernorm"),
        ("Qformer.bert.encoder.layer.*.attention.self", "qformer.encoder.layer.*.attention.attention"),
        ("Qformer.bert.encoder.layer.*.attention.output", "qformer.encoder.layer.*.attention.output"),
        ("Qformer.bert.encoder.layer.*.crossattention.self", "qformer.encoder.layer.*.crossattention.attention"),
        ("Qformer.bert.encoder.layer.*.crossattention.output", "qformer.encoder.layer.*.crossattention.output"),
        ("Qformer.bert.encoder.layer.*.intermediate_query", "qformer.encoder.layer.*.intermediate_query"),
        ("Qformer.bert.encoder.layer.*.output_query", "qformer.encoder.layer.*.output_query"),
        ("opt_proj", "language_projection"),
        // Present when the trainer saved the whole model; the frozen OPT is facebook/opt-6.7b's.
        ("opt_model.model.decoder", "language_model.model.decoder"),
        ("opt_model.lm_head", "language_model.lm_head"),
    ]

    /// The ViT's separate q/v biases; `qkv.bias` = cat(q_bias, zeros, v_bias) (EVA has no key bias).
    static let queryBias: NamePattern = "visual_encoder.blocks.*.attn.q_bias"
    static let valueBias: NamePattern = "visual_encoder.blocks.*.attn.v_bias"
    static let fusedBias: NamePattern = "vision_model.encoder.layers.*.self_attn.qkv.bias"

    /// Saved by LAVIS, never read when captioning: the Q-Former's text path and BERT embeddings.
    static let unused: [NamePattern] = [
        "Qformer.bert.embeddings.position_ids", "Qformer.bert.embeddings.word_embeddings",
        "Qformer.bert.embeddings.position_embeddings", "Qformer.cls",
        "Qformer.bert.encoder.layer.*.intermediate", "Qformer.bert.encoder.layer.*.output",
    ]

    /// Prefixes whose every tensor must be understood: an unknown name there (EVA's relative position
    /// bias or layer scale, say) would change the computation, so it is refused rather than ignored.
    static let strictPrefixes = ["visual_encoder.", "Qformer.", "ln_vision.", "opt_proj."]

    /// The engine's name for a LAVIS name (nil when the name is not renamed).
    static func engineName(_ lavis: String) -> String? {
        for row in renames { if let m = row.lavis.match(lavis) { return row.engine.filled(m.number) + m.rest } }
        return nil
    }

    /// The LAVIS name(s) an engine tensor comes from, for messages about the user's file.
    static func lavisName(_ engine: String) -> String {
        if let m = fusedBias.match(engine), m.rest.isEmpty {
            return "\(queryBias.filled(m.number)) + \(valueBias.filled(m.number))"
        }
        for row in renames { if let m = row.engine.match(engine) { return row.lavis.filled(m.number) + m.rest } }
        return engine
    }

    /// The checkpoint's tensors under engine names: views into the mapped file, plus the fused qkv
    /// biases (the only tensors made here). Unused tensors are dropped; unknown ones under the
    /// image-side prefixes are refused.
    static func sanitize(_ store: WeightStore) throws -> [String: TensorView] {
        var out: [String: TensorView] = [:]
        var unknown: [String] = []
        for name in store.names {
            if unused.contains(where: { $0.match(name) != nil }) { continue }
            if queryBias.match(name) != nil || valueBias.match(name) != nil { continue }
            if let engine = engineName(name) {
                guard !store.unsupported.keys.contains(name) else {
                    throw InputError(store.path(of: name), "tensor \(name) has dtype \(store.unsupported[name]!); facecap reads F32, F16, BF16")
                }
                let view = try store.tensor(name)
                out[engine] = TensorView(name: engine, dtype: view.dtype, shape: view.shape, data: view.data, owner: view.owner)
            } else if strictPrefixes.contains(where: name.hasPrefix) {
                unknown.append(name)
            }
        }
        guard unknown.isEmpty else {
            throw InputError(store.origin, "unrecognized LAVIS tensors \(unknown.prefix(4).joined(separator: ", "))\(unknown.count > 4 ? " and \(unknown.count - 4) more" : ""); facecap reads Blip2OPT with an EVA ViT without relative position bias or layer scale")
        }
        for name in store.names {
            guard let m = queryBias.match(name), m.rest.isEmpty else { continue }
            let valueName = valueBias.filled(m.number)
            let q = try store.tensor(name)
            guard store.contains(valueName) else { throw InputError(store.origin, "has \(name) but not \(valueName)") }
            let v = try store.tensor(valueName)
            guard q.shape.count == 1, v.shape == q.shape else {
                throw InputError(store.origin, "tensor \(name) has shape \(q.shape) and \(valueName) \(v.shape); both must be [width]")
            }
            let engine = fusedBias.filled(m.number)
            out[engine] = TensorView.make(name: engine, dtype: .f32, shape: [3 * q.count],
                                          floats: q.floats() + [Float](repeating: 0, count: q.count) + v.floats())
        }
        return out
    }
}
