import Tensor

/// The one check of decoding settings, whoever made them: a model's generation_config.json (at load),
/// the CLI's flags, the explorer's `r` dialog. The engine relies on it: beam widths and caption
/// counts size its buffers, token counts its KV cache, so nothing past it may be out of range.
extension DecodingSettings {
    /// How problems name a setting: by the CLI flag a user typed, or by generation_config.json's key.
    public enum Naming: Sendable { case flags, generationConfig }

    /// Most beams or captions at once; the KV cache grows with them.
    public static let maxBatch = 64
    /// Most tokens one caption may have; the language model's positions bound it further at run time.
    public static let maxTokens = 1 << 16

    /// Throws an `InputError` on `path` naming the first setting out of range.
    public func validate(naming: Naming = .flags, path: String = "decoding settings") throws {
        func name(_ flag: String, _ key: String) -> String { naming == .flags ? flag : key }
        func require(_ ok: Bool, _ problem: @autoclosure () -> String) throws {
            if !ok { throw InputError(path, problem()) }
        }
        let beams = name("--num-beams", "num_beams"), maxNew = name("--max-new-tokens", "max_new_tokens")
        try require((1...Self.maxBatch).contains(numBeams), "\(beams) must be between 1 and \(Self.maxBatch), not \(numBeams)")
        try require((1...Self.maxTokens).contains(maxNewTokens),
                    "\(maxNew) must be between 1 and \(Self.maxTokens), not \(maxNewTokens)")
        try require(minNewTokens >= 0 && minNewTokens <= maxNewTokens,
                    "\(name("--min-new-tokens", "min_new_tokens")) must be between 0 and \(maxNew)")
        try require((0...Self.maxTokens).contains(minLength), "\(name("min_length", "min_length")) must be between 0 and \(Self.maxTokens)")
        try require(repetitionPenalty > 0 && repetitionPenalty.isFinite,
                    "\(name("--repetition-penalty", "repetition_penalty")) must be positive")
        try require(lengthPenalty.isFinite, "\(name("--length-penalty", "length_penalty")) must be a number")
        try require(topP > 0 && topP <= 1, "\(name("--top-p", "top_p")) must be in (0, 1]")
        try require(topK >= 0, "\(name("top_k", "top_k")) must not be negative")
        try require(temperature > 0 && temperature.isFinite, "\(name("--temperature", "temperature")) must be positive")
        try require((1...Self.maxBatch).contains(numCaptions),
                    "\(name("number of captions", "num_return_sequences")) must be between 1 and \(Self.maxBatch)")
        try require(sample || numCaptions <= numBeams, "beam search returns at most \(beams) captions")
        try require(padTokenID >= 0, "\(name("pad token id", "pad_token_id")) must not be negative")
    }
}
