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

    init(name: String, directory: URL, identity: String, model: Blip2Model, tokenizer: BPETokenizer,
         preprocessor: ImagePreprocessor, generation: GenerationConfig) {
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
        let size = model.config.visionConfig.imageSize
        let expected = preprocessor.outputSize(width: image.width, height: image.height)
        guard expected.width == size, expected.height == size else {
            throw InputError(directory.appendingPathComponent("preprocessor_config.json").path,
                             "resizes to \(expected.width)x\(expected.height) but the vision model takes \(size)x\(size)")
        }
        return try caption(pixelValues: preprocessor.pixelValues(image), settings: settings, progress: progress)
    }

    /// Captions already-preprocessed pixel values (CHW, imageSize^2 * 3).
    public func caption(pixelValues: [Float], settings: DecodingSettings,
                        progress: ((CaptionProgress) -> Bool)? = nil) throws -> CaptionResult {
        try Self.validate(settings)
        if let progress, !progress(.encoding) { throw CaptionCancelled() }
        let clock = ContinuousClock()
        let encodeStart = clock.now
        let encoding = try model.encode(pixelValues: pixelValues)
        let encodeMs = Self.milliseconds(clock.now - encodeStart)

        let decodeStart = clock.now
        let promptIDs = settings.prompt.isEmpty ? [] : tokenizer.encode(settings.prompt, addBOS: false)
        let input = model.languageInput(projectedQueries: encoding.projectedQueries, promptIDs: promptIDs)
        var observer: StepObserver?
        if let progress {
            let tokenizer = self.tokenizer, maxSteps = settings.maxNewTokens
            observer = { step, best in
                progress(.decoding(step: step, maxSteps: maxSteps, partial: tokenizer.decode(best.map(Int.init))))
            }
        }
        let generated = try model.generate(embeddings: input.embeddings, inputIDs: input.inputIDs, settings: settings,
                                           eosTokenIDs: eosTokenIDs, observer: observer)
        let captions = generated.sequences.map {
            tokenizer.decode($0, skipSpecialTokens: true).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return CaptionResult(captions: captions, tokenIDs: generated.sequences, encodeMs: encodeMs,
                             decodeMs: Self.milliseconds(clock.now - decodeStart))
    }

    static func validate(_ s: DecodingSettings) throws {
        func bad(_ problem: String) -> InputError { InputError("decoding settings", problem) }
        guard s.numBeams >= 1 && s.numBeams <= 64 else { throw bad("--num-beams must be between 1 and 64") }
        guard s.maxNewTokens >= 1 else { throw bad("--max-new-tokens must be at least 1") }
        guard s.minNewTokens >= 0 && s.minNewTokens <= s.maxNewTokens else { throw bad("--min-new-tokens must be between 0 and --max-new-tokens") }
        guard s.repetitionPenalty > 0 && s.repetitionPenalty.isFinite else { throw bad("--repetition-penalty must be positive") }
        guard s.lengthPenalty.isFinite else { throw bad("--length-penalty must be a number") }
        guard s.topP > 0 && s.topP <= 1 else { throw bad("--top-p must be in (0, 1]") }
        guard s.temperature > 0 && s.temperature.isFinite else { throw bad("--temperature must be positive") }
        guard s.numCaptions >= 1 && s.numCaptions <= 64 else { throw bad("number of captions must be between 1 and 64") }
        guard s.sample || s.numCaptions <= s.numBeams else { throw bad("beam search returns at most --num-beams captions") }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
