import Foundation
import Tensor

/// transformers' `Blip2Config` as written to `config.json`, with transformers' defaults for any key a
/// file leaves out, so `Salesforce/blip2-opt-2.7b`'s file and our fixtures read the same way.
public struct Blip2Config: Decodable, Sendable {
    public var visionConfig: VisionConfig
    public var qformerConfig: QFormerConfig
    public var textConfig: OPTConfig
    public var numQueryTokens: Int
    /// The `<image>` placeholder id (transformers 5.x layout); nil in older configs.
    public var imageTokenIndex: Int?

    enum CodingKeys: String, CodingKey {
        case visionConfig = "vision_config", qformerConfig = "qformer_config", textConfig = "text_config"
        case numQueryTokens = "num_query_tokens", imageTokenIndex = "image_token_index", imageTokenID = "image_token_id"
    }

    init(visionConfig: VisionConfig, qformerConfig: QFormerConfig, textConfig: OPTConfig, numQueryTokens: Int,
         imageTokenIndex: Int? = nil) {
        self.visionConfig = visionConfig
        self.qformerConfig = qformerConfig
        self.textConfig = textConfig
        self.numQueryTokens = numQueryTokens
        self.imageTokenIndex = imageTokenIndex
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        visionConfig = try c.decodeIfPresent(VisionConfig.self, forKey: .visionConfig) ?? VisionConfig()
        qformerConfig = try c.decodeIfPresent(QFormerConfig.self, forKey: .qformerConfig) ?? QFormerConfig()
        textConfig = try c.decodeIfPresent(OPTConfig.self, forKey: .textConfig) ?? OPTConfig()
        numQueryTokens = try c.decodeIfPresent(Int.self, forKey: .numQueryTokens) ?? 32
        imageTokenIndex = try c.decodeIfPresent(Int.self, forKey: .imageTokenIndex)
            ?? c.decodeIfPresent(Int.self, forKey: .imageTokenID)
        if qformerConfig.encoderHiddenSize == nil { qformerConfig.encoderHiddenSize = visionConfig.hiddenSize }
    }

    /// Reads and checks a config file; every problem names the file.
    public static func load(_ url: URL) throws -> Blip2Config {
        let config: Blip2Config = try JSONFile.decode(url)
        try config.validate(path: url.path)
        return config
    }

    func validate(path: String) throws {
        func require(_ ok: Bool, _ problem: String) throws { if !ok { throw InputError(path, problem) } }
        let v = visionConfig, q = qformerConfig, t = textConfig
        try require(v.hiddenSize > 0 && v.numAttentionHeads > 0 && v.hiddenSize % v.numAttentionHeads == 0,
                    "vision_config.hidden_size \(v.hiddenSize) is not divisible by num_attention_heads \(v.numAttentionHeads)")
        try require(v.patchSize > 0 && v.imageSize >= v.patchSize && v.imageSize % v.patchSize == 0,
                    "vision_config.image_size \(v.imageSize) is not a multiple of patch_size \(v.patchSize)")
        try require(q.hiddenSize > 0 && q.numAttentionHeads > 0 && q.hiddenSize % q.numAttentionHeads == 0,
                    "qformer_config.hidden_size \(q.hiddenSize) is not divisible by num_attention_heads \(q.numAttentionHeads)")
        try require(q.crossAttentionFrequency > 0, "qformer_config.cross_attention_frequency must be positive")
        try require(t.hiddenSize > 0 && t.numAttentionHeads > 0 && t.hiddenSize % t.numAttentionHeads == 0,
                    "text_config.hidden_size \(t.hiddenSize) is not divisible by num_attention_heads \(t.numAttentionHeads)")
        try require(t.vocabSize > 0 && t.maxPositionEmbeddings > 0, "text_config needs vocab_size and max_position_embeddings")
        try require(numQueryTokens > 0, "num_query_tokens must be positive")
        for (name, n) in [("vision layers", v.numHiddenLayers), ("qformer layers", q.numHiddenLayers), ("text layers", t.numHiddenLayers)] {
            try require(n >= 0 && n <= 1000, "\(name) count \(n) is out of range")
        }
    }
}

/// `Blip2VisionConfig` (EVA ViT).
public struct VisionConfig: Decodable, Sendable {
    public var hiddenSize = 1408
    public var intermediateSize = 6144
    public var numHiddenLayers = 39
    public var numAttentionHeads = 16
    public var imageSize = 224
    public var patchSize = 14
    public var layerNormEps: Float = 1e-6
    public var hiddenAct = "gelu"
    public var qkvBias = true
    /// `post_layernorm`'s eps when it differs from the blocks': LAVIS's `ln_vision` uses 1e-5 where
    /// transformers reuses `layer_norm_eps` (1e-6). Not a transformers key; facecap's converted
    /// folders write it so they keep the authors' numbers.
    public var postLayerNormEps: Float?

    init() {}
    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", intermediateSize = "intermediate_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", imageSize = "image_size", patchSize = "patch_size"
        case layerNormEps = "layer_norm_eps", hiddenAct = "hidden_act", qkvBias = "qkv_bias"
        case postLayerNormEps = "post_layernorm_eps"
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? hiddenSize
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? intermediateSize
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? numHiddenLayers
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? numAttentionHeads
        imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize) ?? imageSize
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? patchSize
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? layerNormEps
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? hiddenAct
        qkvBias = try c.decodeIfPresent(Bool.self, forKey: .qkvBias) ?? qkvBias
        postLayerNormEps = try c.decodeIfPresent(Float.self, forKey: .postLayerNormEps)
    }
    public var numPatches: Int { (imageSize / patchSize) * (imageSize / patchSize) }
}

/// `Blip2QFormerConfig` (BERT-base-like).
public struct QFormerConfig: Decodable, Sendable {
    public var hiddenSize = 768
    public var numHiddenLayers = 12
    public var numAttentionHeads = 12
    public var intermediateSize = 3072
    public var hiddenAct = "gelu"
    public var layerNormEps: Float = 1e-12
    public var crossAttentionFrequency = 2
    public var encoderHiddenSize: Int?

    init() {}
    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size", hiddenAct = "hidden_act", layerNormEps = "layer_norm_eps"
        case crossAttentionFrequency = "cross_attention_frequency", encoderHiddenSize = "encoder_hidden_size"
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? hiddenSize
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? numHiddenLayers
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? numAttentionHeads
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? intermediateSize
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? hiddenAct
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? layerNormEps
        crossAttentionFrequency = try c.decodeIfPresent(Int.self, forKey: .crossAttentionFrequency) ?? crossAttentionFrequency
        encoderHiddenSize = try c.decodeIfPresent(Int.self, forKey: .encoderHiddenSize)
    }
}

/// `OPTConfig` (the frozen language model).
public struct OPTConfig: Decodable, Sendable {
    public var vocabSize = 50272
    public var hiddenSize = 768
    public var numHiddenLayers = 12
    public var numAttentionHeads = 12
    public var ffnDim = 3072
    public var maxPositionEmbeddings = 2048
    public var doLayerNormBefore = true
    public var wordEmbedProjDim: Int?
    public var activationFunction = "relu"
    public var enableBias = true
    public var layerNormElementwiseAffine = true
    public var removeFinalLayerNorm = false
    public var bosTokenID = 2
    public var eosTokenID = 2
    public var padTokenID = 1

    init() {}
    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", ffnDim = "ffn_dim", maxPositionEmbeddings = "max_position_embeddings"
        case doLayerNormBefore = "do_layer_norm_before", wordEmbedProjDim = "word_embed_proj_dim"
        case activationFunction = "activation_function", enableBias = "enable_bias"
        case layerNormElementwiseAffine = "layer_norm_elementwise_affine", removeFinalLayerNorm = "_remove_final_layer_norm"
        case bosTokenID = "bos_token_id", eosTokenID = "eos_token_id", padTokenID = "pad_token_id"
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? vocabSize
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? hiddenSize
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? numHiddenLayers
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? numAttentionHeads
        ffnDim = try c.decodeIfPresent(Int.self, forKey: .ffnDim) ?? ffnDim
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? maxPositionEmbeddings
        doLayerNormBefore = try c.decodeIfPresent(Bool.self, forKey: .doLayerNormBefore) ?? doLayerNormBefore
        wordEmbedProjDim = try c.decodeIfPresent(Int.self, forKey: .wordEmbedProjDim)
        activationFunction = try c.decodeIfPresent(String.self, forKey: .activationFunction) ?? activationFunction
        enableBias = try c.decodeIfPresent(Bool.self, forKey: .enableBias) ?? enableBias
        layerNormElementwiseAffine = try c.decodeIfPresent(Bool.self, forKey: .layerNormElementwiseAffine) ?? layerNormElementwiseAffine
        removeFinalLayerNorm = try c.decodeIfPresent(Bool.self, forKey: .removeFinalLayerNorm) ?? removeFinalLayerNorm
        bosTokenID = try c.decodeIfPresent(Int.self, forKey: .bosTokenID) ?? bosTokenID
        eosTokenID = (try? c.decodeIfPresent(Int.self, forKey: .eosTokenID)) ?? eosTokenID
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID) ?? padTokenID
    }
    /// Width of the token embeddings (differs from hidden_size only in opt-350m, which projects in/out).
    public var embedWidth: Int { wordEmbedProjDim ?? hiddenSize }
}
