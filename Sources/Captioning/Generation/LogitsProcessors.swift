/// The logits processors transformers' `generate` runs for the settings facecap exposes, in
/// transformers' order: repetition penalty, then min_length / min_new_tokens (eos forbidden), then,
/// when sampling, temperature. Greedy search applies them to raw logits, beam search to
/// log-softmax scores: both as transformers does.
struct LogitsProcessors {
    let repetitionPenalty: Float
    let minLength: Int
    let minNewTokens: Int
    let eosTokenIDs: [Int]
    let promptLength: Int
    /// One stamp per vocabulary entry, so a token repeated in the sequence is penalised once
    /// without allocating a set each step.
    private var stamps: [UInt32]
    private var stamp: UInt32 = 0

    init(settings: DecodingSettings, eosTokenIDs: [Int], promptLength: Int, vocabSize: Int) {
        repetitionPenalty = settings.repetitionPenalty
        minLength = settings.minLength
        minNewTokens = settings.minNewTokens
        self.eosTokenIDs = eosTokenIDs
        self.promptLength = promptLength
        stamps = repetitionPenalty != 1 ? [UInt32](repeating: 0, count: vocabSize) : []
    }

    /// `prompt` + `generated` is the sequence so far (transformers penalises prompt ids too, image
    /// placeholders and `</s>` included).
    mutating func apply(to scores: UnsafeMutablePointer<Float>, vocabSize: Int,
                        prompt: UnsafeBufferPointer<Int32>, generated: UnsafeBufferPointer<Int32>) {
        if repetitionPenalty != 1 {
            stamp &+= 1
            if stamp == 0 { for i in stamps.indices { stamps[i] = 0 }; stamp = 1 }
            let penalty = repetitionPenalty
            stamps.withUnsafeMutableBufferPointer { seen in
                func penalise(_ token: Int32) {
                    let t = Int(token)
                    guard t >= 0, t < vocabSize, seen[t] != stamp else { return }
                    seen[t] = stamp
                    let s = scores[t]
                    scores[t] = s < 0 ? s * penalty : s / penalty
                }
                for t in prompt { penalise(t) }
                for t in generated { penalise(t) }
            }
        }
        let length = promptLength + generated.count
        if length < minLength || generated.count < minNewTokens {
            for i in 0..<eosTokenIDs.count where eosTokenIDs[i] < vocabSize { scores[eosTokenIDs[i]] = -.infinity }
        }
    }
}
