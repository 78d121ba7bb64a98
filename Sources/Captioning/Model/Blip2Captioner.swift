import Foundation
import Faces
import Tensor

/// A BLIP-2-family captioner loaded from a Hugging Face model folder: the model, its tokenizer,
/// image preprocessing and decoding defaults. Thread-safe: every caption job has its own
/// workspace and KV cache; the weights are shared read-only.
public final class Blip2Captioner: FaceCaptioner, @unchecked Sendable {
    public let name: String
    public let directory: URL
    /// The caption cache's key for this model (`CaptionerLoader.identity`).
    public internal(set) var identity: String
    public let defaultSettings: DecodingSettings
    public let model: Blip2Model
    public let tokenizer: BPETokenizer
    public let preprocessor: ImagePreprocessor
    public let eosTokenIDs: [Int]

    /// Throws when generation_config.json names a token the model does not have.
    init(name: String, directory: URL, identity: String, model: Blip2Model, tokenizer: BPETokenizer,
         preprocessor: ImagePreprocessor, generation: GenerationConfig) throws {
        try TokenIDCheck.check(generation, vocab: model.config.textConfig.vocabSize,
                               path: directory.appendingPathComponent("generation_config.json").path)
        self.name = name
        self.directory = directory
        self.identity = identity
        self.model = model
        self.tokenizer = tokenizer
        self.preprocessor = preprocessor
        var settings = generation.decodingSettings
        settings.padTokenID = generation.padTokenID ?? model.config.textConfig.padTokenID
        defaultSettings = settings
        eosTokenIDs = generation.eosTokenIDs.isEmpty ? [model.config.textConfig.eosTokenID] : generation.eosTokenIDs
    }

    public func caption(_ image: RGBImage, settings: DecodingSettings,
                        progress: @escaping (CaptionProgress) -> Bool) throws -> CaptionResult {
        try caption(image, settings: settings, recordAttention: false, progress: progress)
    }

    public func caption(_ image: RGBImage, settings: DecodingSettings, recordAttention: Bool,
                        progress: @escaping (CaptionProgress) -> Bool) throws -> CaptionResult {
        let size = model.config.visionConfig.imageSize
        let expected = preprocessor.outputSize(width: image.width, height: image.height)
        guard expected.width == size, expected.height == size else {
            throw InputError(directory.appendingPathComponent("preprocessor_config.json").path,
                             "resizes to \(expected.width)x\(expected.height) but the vision model takes \(size)x\(size)")
        }
        return try caption(pixelValues: preprocessor.pixelValues(image), settings: settings,
                           recordAttention: recordAttention, progress: progress)
    }

    public func tokenPieces(_ ids: [Int]) -> [String] { TokenPieces.pieces(ids, tokenizer: tokenizer) }

    /// Captions already-preprocessed pixel values (CHW, imageSize^2 * 3).
    public func caption(pixelValues: [Float], settings: DecodingSettings, recordAttention: Bool = false,
                        progress: ((CaptionProgress) -> Bool)? = nil) throws -> CaptionResult {
        try Self.validate(settings)
        if let progress, !progress(.encoding) { throw CaptionCancelled() }
        let clock = ContinuousClock()
        let encodeStart = clock.now
        let encoding = try model.encode(pixelValues: pixelValues, recordAttention: recordAttention)
        let encodeMs = Self.milliseconds(clock.now - encodeStart)

        let decodeStart = clock.now
        let promptIDs = settings.prompt.isEmpty ? [] : tokenizer.encode(settings.prompt, addBOS: false)
        try TokenIDCheck.checkPrompt(promptIDs, prompt: settings.prompt, vocab: model.config.textConfig.vocabSize)
        guard settings.padTokenID < model.config.textConfig.vocabSize else {
            throw InputError("decoding settings", "pad token id \(settings.padTokenID) is outside the vocabulary")
        }
        let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: promptIDs)
        var observer: StepObserver?
        if let progress {
            let tokenizer = self.tokenizer, maxSteps = settings.maxNewTokens
            observer = { step, best in
                progress(.decoding(step: step, maxSteps: maxSteps, partial: tokenizer.decode(best.map(Int.init))))
            }
        }
        let generated = try model.generate(embeddings: input.embeddings, inputIDs: input.inputIDs, settings: settings,
                                           eosTokenIDs: eosTokenIDs, observer: observer, recordAttention: recordAttention)
        let captions = generated.sequences.map {
            tokenizer.decode($0, skipSpecialTokens: true).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var attention: CaptionAttention?
        if let cross = encoding.crossAttention, let lm = generated.queryAttention {
            let v = model.config.visionConfig, side = v.imageSize / v.patchSize
            attention = CaptionAttention(gridRows: side, gridColumns: side, tokenMaps: lm.map {
                AttentionMap.tokenMaps(queryAttention: $0, crossAttention: cross, queries: model.config.numQueryTokens,
                                       imageTokens: model.vision.tokens)
            })
        }
        return CaptionResult(captions: captions, tokenIDs: generated.sequences, encodeMs: encodeMs,
                             decodeMs: Self.milliseconds(clock.now - decodeStart),
                             tokenLogprobs: generated.tokenLogprobs, attention: attention)
    }

    /// The engine's entry check is Captioning's one range check of decoding settings.
    static func validate(_ s: DecodingSettings) throws { try s.validate() }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
