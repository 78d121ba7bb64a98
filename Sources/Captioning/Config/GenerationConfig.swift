import Foundation
import Tensor

/// The keys of `generation_config.json` facecap honours, turned into `DecodingSettings` defaults.
public struct GenerationConfig: Decodable, Sendable {
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int] = []
    public var padTokenID: Int?
    public var numBeams: Int?
    public var maxNewTokens: Int?
    public var maxLength: Int?
    public var minNewTokens: Int?
    public var minLength: Int?
    public var lengthPenalty: Float?
    public var repetitionPenalty: Float?
    public var earlyStopping: Bool?
    public var doSample: Bool?
    public var topP: Float?
    public var topK: Int?
    public var temperature: Float?
    public var numReturnSequences: Int?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case bosTokenID = "bos_token_id", eosTokenID = "eos_token_id", padTokenID = "pad_token_id"
        case numBeams = "num_beams", maxNewTokens = "max_new_tokens", maxLength = "max_length"
        case minNewTokens = "min_new_tokens", minLength = "min_length", lengthPenalty = "length_penalty"
        case repetitionPenalty = "repetition_penalty", earlyStopping = "early_stopping", doSample = "do_sample"
        case topP = "top_p", topK = "top_k", temperature, numReturnSequences = "num_return_sequences"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bosTokenID = try c.decodeIfPresent(Int.self, forKey: .bosTokenID)
        if let one = try? c.decodeIfPresent(Int.self, forKey: .eosTokenID) {
            eosTokenIDs = [one]
        } else {
            eosTokenIDs = try c.decodeIfPresent([Int].self, forKey: .eosTokenID) ?? []
        }
        padTokenID = try c.decodeIfPresent(Int.self, forKey: .padTokenID)
        numBeams = try c.decodeIfPresent(Int.self, forKey: .numBeams)
        maxNewTokens = try c.decodeIfPresent(Int.self, forKey: .maxNewTokens)
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        minNewTokens = try c.decodeIfPresent(Int.self, forKey: .minNewTokens)
        minLength = try c.decodeIfPresent(Int.self, forKey: .minLength)
        lengthPenalty = try c.decodeIfPresent(Float.self, forKey: .lengthPenalty)
        repetitionPenalty = try c.decodeIfPresent(Float.self, forKey: .repetitionPenalty)
        // "never" is a transformers option too; facecap treats it as false (the heuristic stop).
        earlyStopping = (try? c.decodeIfPresent(Bool.self, forKey: .earlyStopping)) ?? nil
        doSample = try c.decodeIfPresent(Bool.self, forKey: .doSample)
        topP = try c.decodeIfPresent(Float.self, forKey: .topP)
        topK = try c.decodeIfPresent(Int.self, forKey: .topK)
        temperature = try c.decodeIfPresent(Float.self, forKey: .temperature)
        numReturnSequences = try c.decodeIfPresent(Int.self, forKey: .numReturnSequences)
    }

    /// A missing file is fine (transformers' defaults apply); a malformed one, or one whose settings
    /// are out of range, is an error naming the file and the key.
    public static func load(_ url: URL) throws -> GenerationConfig {
        guard FileManager.default.fileExists(atPath: url.path) else { return GenerationConfig() }
        let config: GenerationConfig = try JSONFile.decode(url)
        try config.decodingSettings.validate(naming: .generationConfig, path: url.path)
        return config
    }

    /// Decoding defaults as transformers would apply them for this file (`load` has checked them
    /// with `DecodingSettings.validate`, naming the file).
    public var decodingSettings: DecodingSettings {
        var s = DecodingSettings()
        s.numBeams = numBeams ?? 1
        s.maxNewTokens = maxNewTokens ?? 20
        s.minNewTokens = minNewTokens ?? 0
        s.minLength = minLength ?? 0
        s.lengthPenalty = lengthPenalty ?? 1
        s.repetitionPenalty = repetitionPenalty ?? 1
        s.earlyStopping = earlyStopping ?? false
        s.sample = doSample ?? false
        s.topP = topP ?? 1
        s.topK = topK ?? 0
        s.temperature = temperature ?? 1
        s.numCaptions = numReturnSequences ?? 1
        return s
    }
}
