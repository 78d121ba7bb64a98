/// transformers' greedy `_sample` path for one sequence: processors on the raw logits, argmax
/// (first index on ties, as torch.argmax), stop at eos or after max_new_tokens.
struct GreedySearch {
    let settings: DecodingSettings
    let eosTokenIDs: [Int]

    func run(session: OPTSession, embeddings: UnsafePointer<Float>, rows: Int, inputIDs: [Int32],
             observer: StepObserver?) throws -> Generated {
        let vocab = session.vocabSize, maxNew = settings.maxNewTokens
        var processors = LogitsProcessors(settings: settings, eosTokenIDs: eosTokenIDs, promptLength: inputIDs.count, vocabSize: vocab)
        var generated = [Int32](repeating: 0, count: maxNew)
        var logprobs = [Float](repeating: 0, count: maxNew)
        let queries = session.recordedQueries
        var attention = [Float](repeating: 0, count: session.queryAttention == nil ? 0 : maxNew * queries)
        var count = 0
        var logits = session.prefill(embeddings: embeddings, rows: rows)
        try inputIDs.withUnsafeBufferPointer { prompt in
            try generated.withUnsafeMutableBufferPointer { out in
                while count < maxNew {
                    processors.apply(to: logits, vocabSize: vocab, prompt: prompt,
                                     generated: UnsafeBufferPointer(rebasing: out[0..<count]))
                    var best = 0
                    for i in 1..<vocab where logits[i] > logits[best] { best = i }
                    out[count] = Int32(best)
                    // compute_transition_scores(normalize_logits=True): log-softmax of the processed scores.
                    logprobs[count] = logProbability(of: best, in: logits, count: vocab)
                    if let recorded = session.queryAttention?.pointer {
                        for q in 0..<queries { attention[count * queries + q] = recorded[q] }
                    }
                    count += 1
                    if let observer, !observer(count, UnsafeBufferPointer(rebasing: out[0..<count])) { throw CaptionCancelled() }
                    if isStopToken(best, eosTokenIDs) || count == maxNew { break }
                    var token = Int32(best)
                    logits = session.step(tokens: &token, batch: 1)
                }
            }
        }
        return Generated(sequences: [tokenIDs(generated, from: 0, count: count)], scores: [0],
                         tokenLogprobs: [slice(logprobs, from: 0, count: count)],
                         queryAttention: attention.isEmpty ? nil : [slice(attention, from: 0, count: count * queries)])
    }
}
