import Tensor

/// Every token id the engine indexes with, checked against the vocabulary when a model loads: the
/// embedding table is read at `bos` and `pad` (and at prompt ids, checked per caption), the logits
/// are written at `eos` (min_new_tokens masks it), and `image_token_index` is counted by the
/// repetition penalty. An id outside 0..<vocab_size would read or write past those buffers, so the
/// model is refused with one line naming the file and the key.
enum TokenIDCheck {
    static func check(config: Blip2Config, configPath: String, generation: GenerationConfig, generationPath: String) throws {
        let vocab = config.textConfig.vocabSize
        func require(_ id: Int?, _ key: String, in path: String) throws {
            guard let id, !(0..<vocab).contains(id) else { return }
            throw InputError(path, "\(key) \(id) is not a token of this model (text_config.vocab_size is \(vocab))")
        }
        let t = config.textConfig
        try require(t.bosTokenID, "text_config.bos_token_id", in: configPath)
        try require(t.eosTokenID, "text_config.eos_token_id", in: configPath)
        try require(t.padTokenID, "text_config.pad_token_id", in: configPath)
        try require(config.imageTokenIndex, "image_token_index", in: configPath)
        try require(generation.bosTokenID, "bos_token_id", in: generationPath)
        for id in generation.eosTokenIDs { try require(id, "eos_token_id", in: generationPath) }
        try require(generation.padTokenID, "pad_token_id", in: generationPath)
    }

    /// Prompt ids come from the tokenizer, whose vocabulary may be larger than the model's.
    static func checkPrompt(_ ids: [Int], prompt: String, vocab: Int) throws {
        if let bad = ids.first(where: { !(0..<vocab).contains($0) }) {
            throw InputError("--prompt", "\"\(prompt)\" encodes to token \(bad), outside this model's vocabulary "
                + "(vocab_size \(vocab)): the tokenizer and the model do not match")
        }
    }
}
