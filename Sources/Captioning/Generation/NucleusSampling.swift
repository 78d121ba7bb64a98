import Foundation
import Tensor

/// Nucleus (top-p) sampling of `numCaptions` independent captions, run as one batch. transformers
/// leaves the random stream to torch, so here the stream is ours: xoshiro256** from `seed`, one
/// generator per caption (caption i uses seed + i), so a caption does not change when more are asked for.
/// Order of warpers as transformers: repetition penalty, min length, temperature, top-k, top-p.
struct NucleusSampling {
    let settings: DecodingSettings
    let eosTokenIDs: [Int]

    func run(session: OPTSession, embeddings: UnsafePointer<Float>, rows: Int, inputIDs: [Int32],
             observer: StepObserver?) throws -> Generated {
        let n = max(1, settings.numCaptions), vocab = session.vocabSize, maxNew = settings.maxNewTokens
        var processors = LogitsProcessors(settings: settings, eosTokenIDs: eosTokenIDs, promptLength: inputIDs.count, vocabSize: vocab)
        var rngs = (0..<n).map { RandomGenerator(seed: settings.seed &+ UInt64($0)) }
        var sequences = [Int32](repeating: 0, count: n * maxNew)
        var lengths = [Int](repeating: 0, count: n)
        var done = [Bool](repeating: false, count: n)
        var tokens = [Int32](repeating: Int32(settings.padTokenID), count: n)
        var logprobs = [Float](repeating: 0, count: n * maxNew)
        let queries = session.recordedQueries
        var attention = [Float](repeating: 0, count: session.queryAttention == nil ? 0 : n * maxNew * queries)

        let first = session.prefill(embeddings: embeddings, rows: rows)
        session.replicatePrefix(count: n)
        var logits = session.logits
        for b in 1..<n { (logits + b * vocab).update(from: first, count: vocab) }

        var step = 0
        while step < maxNew {
            try inputIDs.withUnsafeBufferPointer { prompt in
                for b in 0..<n where !done[b] {
                    let row = logits + b * vocab
                    sequences.withUnsafeBufferPointer { seqs in
                        processors.apply(to: row, vocabSize: vocab, prompt: prompt,
                                         generated: UnsafeBufferPointer(rebasing: seqs[(b * maxNew)..<(b * maxNew + lengths[b])]))
                    }
                    let (token, logprob) = Self.sample(row, vocab: vocab, settings: settings, rng: &rngs[b])
                    sequences[b * maxNew + lengths[b]] = Int32(token)
                    logprobs[b * maxNew + lengths[b]] = logprob
                    if let recorded = session.queryAttention?.pointer {
                        let source = step == 0 ? 0 : b  // the prefill filled row 0 only
                        for q in 0..<queries { attention[(b * maxNew + lengths[b]) * queries + q] = recorded[source * queries + q] }
                    }
                    lengths[b] += 1
                    tokens[b] = Int32(token)
                    if isStopToken(token, eosTokenIDs) { done[b] = true }
                }
                if let observer {
                    let ok = sequences.withUnsafeBufferPointer { observer(step + 1, UnsafeBufferPointer(rebasing: $0[0..<lengths[0]])) }
                    if !ok { throw CaptionCancelled() }
                }
            }
            step += 1
            if !anyFalse(done) || step == maxNew { break }
            // Finished captions keep stepping with pad (as transformers does) so the batch stays in lock step.
            for b in 0..<n where done[b] { tokens[b] = Int32(settings.padTokenID) }
            logits = tokens.withUnsafeBufferPointer { session.step(tokens: $0.baseAddress!, batch: n) }
        }
        let out = (0..<n).map { b in tokenIDs(sequences, from: b * maxNew, count: lengths[b]) }
        return Generated(sequences: out, scores: [Float](repeating: 0, count: n),
                         tokenLogprobs: (0..<n).map { slice(logprobs, from: $0 * maxNew, count: lengths[$0]) },
                         queryAttention: attention.isEmpty ? nil
                            : (0..<n).map { slice(attention, from: $0 * maxNew * queries, count: lengths[$0] * queries) })
    }

    /// Temperature, top-k, then the smallest set of most likely tokens whose probability reaches
    /// top_p. The sets are found as probability thresholds by bisection (about 40 passes over the
    /// vocabulary) rather than by sorting it, so a step allocates nothing. Returns the token and its
    /// log-probability within the kept set (the distribution it was drawn from, after every warper).
    static func sample(_ logits: UnsafeMutablePointer<Float>, vocab: Int, settings: DecodingSettings,
                       rng: inout RandomGenerator) -> (Int, Float) {
        let t = settings.temperature > 0 ? settings.temperature : 1
        var maxValue = -Float.infinity
        for i in 0..<vocab { logits[i] /= t; maxValue = max(maxValue, logits[i]) }
        var sum: Float = 0
        for i in 0..<vocab { let e = expf(logits[i] - maxValue); logits[i] = e; sum += e }
        guard sum > 0 else { return (0, 0) }
        // Highest threshold that still keeps what `satisfied` asks for.
        func bisect(_ satisfied: (Float) -> Bool) -> Float {
            var lo: Float = 0, hi: Float = 1  // probabilities relative to the top token (which is 1)
            for _ in 0..<40 {
                let mid = (lo + hi) / 2
                if satisfied(mid) { lo = mid } else { hi = mid }
            }
            return lo
        }
        var floor: Float = 0
        if settings.topK > 0 && settings.topK < vocab {
            floor = bisect { tau in
                var n = 0
                for i in 0..<vocab where logits[i] >= tau { n += 1 }
                return n >= settings.topK
            }
        }
        var mass: Float = 0
        for i in 0..<vocab where logits[i] >= floor { mass += logits[i] }
        if settings.topP < 1 {
            let target = settings.topP * mass
            let tau = bisect { tau in
                var kept: Float = 0
                for i in 0..<vocab where logits[i] >= max(tau, floor) { kept += logits[i] }
                return kept >= target
            }
            floor = max(floor, tau)
            mass = 0
            for i in 0..<vocab where logits[i] >= floor { mass += logits[i] }
        }
        var r = rng.nextUnit() * mass
        var last = 0
        for i in 0..<vocab where logits[i] >= floor {
            last = i
            r -= logits[i]
            if r < 0 { return (i, logf(logits[i] / mass)) }
        }
        return (last, logf(logits[last] / mass))
    }
}
