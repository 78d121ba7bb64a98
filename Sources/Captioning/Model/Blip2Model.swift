import Tensor

/// `Blip2ForConditionalGeneration` for captioning: ViT -> Q-Former -> language_projection -> OPT.
/// The OPT weights are passed in, so captioners that share a frozen language model load it once.
public final class Blip2Model: @unchecked Sendable {
    public let config: Blip2Config
    let vision: VisionEncoder
    let qformer: QFormer
    let languageProjection: Linear
    public let language: OPTModel

    /// Half-precision weights are widened to Float32 once at load when the whole model is small
    /// (demo and fixture models), and kept half and widened per use when it is large (ViT-g + OPT-6.7B).
    public static let widenBelowBytes = 512 << 20

    public init(config: Blip2Config, weights: WeightSource, language: OPTModel, widenHalf: Bool) throws {
        self.config = config
        vision = try VisionEncoder(config: config.visionConfig, weights: weights, widenHalf: widenHalf)
        qformer = try QFormer(config: config.qformerConfig, queryCount: config.numQueryTokens,
                              visionWidth: config.visionConfig.hiddenSize, weights: weights, widenHalf: widenHalf)
        languageProjection = try weights.linear("language_projection", out: config.textConfig.embedWidth,
                                                in: config.qformerConfig.hiddenSize, widenHalf: widenHalf)
        self.language = language
    }

    /// What the image side produces, kept for parity tests and inspection.
    public struct ImageEncoding {
        public var visionHiddenState: [Float]   // [tokens, vision width], after post_layernorm
        public var qformerHiddenState: [Float]  // [queries, qformer width]
        public var projectedQueries: [Float]    // [queries, LM embedding width]
        /// With `recordAttention`: Q-Former cross-attention averaged over heads and cross-attention
        /// layers, [queries, vision tokens] (CLS first); nil otherwise.
        public var crossAttention: [Float]?
    }

    public func encode(pixelValues: [Float], recordAttention: Bool = false) throws -> ImageEncoding {
        let v = config.visionConfig
        guard pixelValues.count == 3 * v.imageSize * v.imageSize else {
            throw InputError("pixel_values", "expected 3x\(v.imageSize)x\(v.imageSize) values, got \(pixelValues.count)")
        }
        let visionOut = vision.forward(pixelValues: pixelValues, workspace: VisionWorkspace(encoder: vision))
        let qws = QFormerWorkspace(qformer: qformer, imageTokens: vision.tokens, recordAttention: recordAttention)
        let queries = visionOut.withUnsafeBufferPointer {
            qformer.forward(imageEmbeds: $0.baseAddress!, imageTokens: vision.tokens, workspace: qws)
        }
        let q = config.numQueryTokens, dq = config.qformerConfig.hiddenSize, e = config.textConfig.embedWidth
        let qformerOut = Array(UnsafeBufferPointer(start: queries, count: q * dq))
        let projected = FloatBuffer(count: q * e)
        let scratch = FloatBuffer(count: max(languageProjection.scratchCount, 1))
        languageProjection.apply(queries, rows: q, into: projected.pointer, scratch: scratch.pointer)
        return ImageEncoding(visionHiddenState: visionOut, qformerHiddenState: qformerOut,
                             projectedQueries: projected.array(), crossAttention: qws.crossAttention?.array())
    }

    /// The language model's input: [projected queries][embed(`</s>`)][embed(prompt ids)], the layout
    /// the published models expect (transformers 5.x writes the queries as `<image>` placeholders).
    /// Returns the embeddings and the ids transformers would see for those positions (placeholders
    /// included), which repetition_penalty and min_length count.
    public func languageInput(projectedQueries: [Float], promptIDs: [Int]) -> (embeddings: [Float], inputIDs: [Int32]) {
        let e = config.textConfig.embedWidth, q = config.numQueryTokens
        let ids = [config.textConfig.bosTokenID] + promptIDs
        var embeddings = projectedQueries
        embeddings.append(contentsOf: [Float](repeating: 0, count: ids.count * e))
        embeddings.withUnsafeMutableBufferPointer { buf in
            for (i, id) in ids.enumerated() { language.embed(token: id, into: buf.baseAddress! + (q + i) * e) }
        }
        let placeholder = config.imageTokenIndex ?? config.textConfig.padTokenID
        return (embeddings, [Int32](repeating: Int32(placeholder), count: q) + ids.map(Int32.init))
    }

    /// Full-sequence logits for an input, for parity tests: [rows, vocab].
    public func logits(embeddings: [Float], rows: Int) -> [Float] {
        let session = OPTSession(model: language, maxBatch: 1, maxLength: rows, prefillRows: rows, allLogitsRows: rows)
        let out = embeddings.withUnsafeBufferPointer { session.prefill(embeddings: $0.baseAddress!, rows: rows, allLogits: true) }
        return Array(UnsafeBufferPointer(start: out, count: rows * language.config.vocabSize))
    }

    /// Decodes from a prepared language input with the given settings.
    func generate(embeddings: [Float], inputIDs: [Int32], settings: DecodingSettings, eosTokenIDs: [Int],
                  observer: StepObserver?, recordAttention: Bool = false) throws -> Generated {
        let rows = inputIDs.count
        let batch = settings.sample ? max(1, settings.numCaptions) : max(1, settings.numBeams)
        let maxLength = rows + settings.maxNewTokens
        guard maxLength <= language.config.maxPositionEmbeddings else {
            throw InputError("generation", "input of \(rows) tokens + \(settings.maxNewTokens) new tokens exceeds the language model's \(language.config.maxPositionEmbeddings) positions")
        }
        let session = OPTSession(model: language, maxBatch: batch, maxLength: maxLength, prefillRows: rows)
        if recordAttention { session.recordQueryAttention(queries: config.numQueryTokens) }
        return try embeddings.withUnsafeBufferPointer { emb in
            let p = emb.baseAddress!
            if settings.sample {
                return try NucleusSampling(settings: settings, eosTokenIDs: eosTokenIDs)
                    .run(session: session, embeddings: p, rows: rows, inputIDs: inputIDs, observer: observer)
            } else if settings.numBeams > 1 {
                return try BeamSearch(settings: settings, eosTokenIDs: eosTokenIDs)
                    .run(session: session, embeddings: p, rows: rows, inputIDs: inputIDs, observer: observer)
            } else {
                return try GreedySearch(settings: settings, eosTokenIDs: eosTokenIDs)
                    .run(session: session, embeddings: p, rows: rows, inputIDs: inputIDs, observer: observer)
            }
        }
    }
}
