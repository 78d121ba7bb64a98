import Tensor

/// Every tensor a BLIP-2 OPT checkpoint holds for a config, with its shape, named as transformers
/// names them. Used to make random weights for `facecap bench --config` and to describe what a
/// checkpoint must contain.
public enum CheckpointLayout {
    public static func tensors(for config: Blip2Config, includeLanguageModel: Bool = true) -> [(name: String, shape: [Int])] {
        var out: [(String, [Int])] = []
        func linear(_ p: String, _ o: Int, _ i: Int, bias: Bool = true) {
            out.append((p + ".weight", [o, i]))
            if bias { out.append((p + ".bias", [o])) }
        }
        func norm(_ p: String, _ w: Int) { out.append((p + ".weight", [w])); out.append((p + ".bias", [w])) }

        let v = config.visionConfig, d = v.hiddenSize, p = v.patchSize
        out.append(("vision_model.embeddings.class_embedding", [1, 1, d]))
        out.append(("vision_model.embeddings.patch_embedding.weight", [d, 3, p, p]))
        out.append(("vision_model.embeddings.patch_embedding.bias", [d]))
        out.append(("vision_model.embeddings.position_embedding", [1, v.numPatches + 1, d]))
        for i in 0..<v.numHiddenLayers {
            let l = "vision_model.encoder.layers.\(i)"
            norm(l + ".layer_norm1", d)
            linear(l + ".self_attn.qkv", 3 * d, d, bias: v.qkvBias)
            linear(l + ".self_attn.projection", d, d)
            norm(l + ".layer_norm2", d)
            linear(l + ".mlp.fc1", v.intermediateSize, d)
            linear(l + ".mlp.fc2", d, v.intermediateSize)
        }
        norm("vision_model.post_layernorm", d)

        let q = config.qformerConfig, dq = q.hiddenSize
        out.append(("query_tokens", [1, config.numQueryTokens, dq]))
        norm("qformer.layernorm", dq)
        for i in 0..<q.numHiddenLayers {
            let l = "qformer.encoder.layer.\(i)"
            var blocks = [(l + ".attention", dq)]
            if i % q.crossAttentionFrequency == 0 { blocks.append((l + ".crossattention", d)) }
            for (b, kv) in blocks {
                linear(b + ".attention.query", dq, dq)
                linear(b + ".attention.key", dq, kv)
                linear(b + ".attention.value", dq, kv)
                linear(b + ".output.dense", dq, dq)
                norm(b + ".output.LayerNorm", dq)
            }
            linear(l + ".intermediate_query.dense", q.intermediateSize, dq)
            linear(l + ".output_query.dense", dq, q.intermediateSize)
            norm(l + ".output_query.LayerNorm", dq)
        }
        let t = config.textConfig, dt = t.hiddenSize, e = t.embedWidth
        linear("language_projection", e, dq)
        guard includeLanguageModel else { return out }
        let dec = "language_model.model.decoder."
        out.append((dec + "embed_tokens.weight", [t.vocabSize, e]))
        out.append((dec + "embed_positions.weight", [t.maxPositionEmbeddings + 2, dt]))
        if e != dt {
            linear(dec + "project_in", dt, e, bias: false)
            linear(dec + "project_out", e, dt, bias: false)
        }
        for i in 0..<t.numHiddenLayers {
            let l = dec + "layers.\(i)."
            for proj in ["q_proj", "k_proj", "v_proj", "out_proj"] { linear(l + "self_attn." + proj, dt, dt, bias: t.enableBias) }
            norm(l + "self_attn_layer_norm", dt)
            linear(l + "fc1", t.ffnDim, dt, bias: t.enableBias)
            linear(l + "fc2", dt, t.ffnDim, bias: t.enableBias)
            norm(l + "final_layer_norm", dt)
        }
        if t.doLayerNormBefore && !t.removeFinalLayerNorm { norm(dec + "final_layer_norm", dt) }
        return out
    }

    /// Parameter count for a config (what `bench` reports next to the timings).
    public static func parameterCount(for config: Blip2Config) -> Int {
        tensors(for: config).reduce(0) { $0 + $1.shape.reduce(1, *) }
    }
}
