import Tensor

/// Every token id the engine indexes with, checked against the vocabulary when a model loads: the
/// embedding table is read at `bos` and `pad` (and at prompt ids, checked per caption), the logits
/// are written at `eos` (min_new_tokens masks it), and `image_token_index` is counted by the
/// repetition penalty. An id outside 0..<vocab_size would read or write past those buffers, so the
/// model is refused with one line naming the file and the key.
enum TokenIDCheck {
    /// config.json's ids (from `Blip2Config.load`).
    static func check(_ config: Blip2Config, path: String) throws {
        let t = config.textConfig
        try require(t.bosTokenID, "text_config.bos_token_id", vocab: t.vocabSize, path: path)
        try require(t.eosTokenID, "text_config.eos_token_id", vocab: t.vocabSize, path: path)
        try require(t.padTokenID, "text_config.pad_token_id", vocab: t.vocabSize, path: path)
        try require(config.imageTokenIndex, "image_token_index", vocab: t.vocabSize, path: path)
    }

    /// generation_config.json's ids, against the model's vocabulary (from `Blip2Captioner.init`,
    /// which every loader goes through).
    static func check(_ generation: GenerationConfig, vocab: Int, path: String) throws {
        try require(generation.bosTokenID, "bos_token_id", vocab: vocab, path: path)
        for id in generation.eosTokenIDs { try require(id, "eos_token_id", vocab: vocab, path: path) }
        try require(generation.padTokenID, "pad_token_id", vocab: vocab, path: path)
    }

    private static func require(_ id: Int?, _ key: String, vocab: Int, path: String) throws {
        guard let id, !(0..<vocab).contains(id) else { return }
        throw InputError(path, "\(key) \(id) is not a token of this model (text_config.vocab_size is \(vocab))")
    }

    /// Prompt ids come from the tokenizer, whose vocabulary may be larger than the model's.
    static func checkPrompt(_ ids: [Int], prompt: String, vocab: Int) throws {
        if let bad = ids.first(where: { !(0..<vocab).contains($0) }) {
            throw InputError("--prompt", "\"\(prompt)\" encodes to token \(bad), outside this model's vocabulary "
                + "(vocab_size \(vocab)): the tokenizer and the model do not match")
        }
    }
}
