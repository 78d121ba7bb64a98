import Foundation
import Tensor

/// Beam search with transformers 5.x semantics (`GenerationMixin._beam_search`), which the
/// parity fixtures pin down token for token:
/// - scores are log-softmax + running score; processors run on log-probs;
/// - each step keeps the top 2*num_beams candidates over all beams; the best num_beams that did not
///   hit eos / max length continue; those among the first num_beams that did hit it become finished
///   hypotheses scored sum_logprobs / generated_length^length_penalty (generated = after the prompt);
/// - stopping: early_stopping=true stops once num_beams hypotheses are finished; false uses the
///   heuristic "the best running beam, normalised by the current length, cannot beat the worst
///   finished one".
struct BeamSearch {
    let settings: DecodingSettings
    let eosTokenIDs: [Int]

    /// transformers marks impossible choices by adding this, in float32.
    private static let junk: Float = -1.0e9

    func run(session: OPTSession, embeddings: UnsafePointer<Float>, rows: Int, inputIDs: [Int32],
             observer: StepObserver?) throws -> Generated {
        let beams = settings.numBeams, vocab = session.vocabSize
        let keep = max(2, 1 + eosTokenIDs.count) * beams
        let maxNew = settings.maxNewTokens
        let promptLength = inputIDs.count
        let lp = Double(settings.lengthPenalty)
        var processors = LogitsProcessors(settings: settings, eosTokenIDs: eosTokenIDs, promptLength: promptLength, vocabSize: vocab)

        // Running beams and finished hypotheses, preallocated: [beam][maxNew] token ids.
        var running = [Int32](repeating: 0, count: beams * maxNew)
        var nextRunning = running
        var runningScores = [Float](repeating: BeamSearch.junk, count: beams)
        runningScores[0] = 0
        var finished = [Int32](repeating: 0, count: beams * maxNew)
        var nextFinished = finished
        var finishedLength = [Int](repeating: 0, count: beams)
        var finishedScores = [Float](repeating: BeamSearch.junk, count: beams)
        var finishedFlags = [Bool](repeating: false, count: beams)
        var sources = [Int32](repeating: 0, count: beams)
        var tokens = [Int32](repeating: 0, count: beams)
        // Candidates: accumulated score, source beam, token, hit-stopping flag.
        var candScore = [Float](repeating: 0, count: keep)
        var candBeam = [Int](repeating: 0, count: keep)
        var candToken = [Int](repeating: 0, count: keep)
        var candHit = [Bool](repeating: false, count: keep)
        var order = [Int](repeating: 0, count: beams + keep)
        var mergedScore = [Float](repeating: 0, count: beams + keep)
        // Next-step copies of the small per-beam arrays, swapped in each step (no allocation in the loop).
        var nextRunningScores = runningScores
        var nextLengths = finishedLength, nextScores = finishedScores, nextFlags = finishedFlags
        // Each running beam's and finished hypothesis's per-token log-probs (and, when recording,
        // [token, query] attention rows), moved with the tokens.
        let queries = session.recordedQueries, recording = session.queryAttention != nil
        var runningLogprobs = [Float](repeating: 0, count: beams * maxNew)
        var nextRunningLogprobs = runningLogprobs, finishedLogprobs = runningLogprobs, nextFinishedLogprobs = runningLogprobs
        var runningAttention = [Float](repeating: 0, count: recording ? beams * maxNew * queries : 0)
        var nextRunningAttention = runningAttention, finishedAttention = runningAttention, nextFinishedAttention = runningAttention
        var candLogprob = [Float](repeating: 0, count: keep)
        var earlyStopUnsatisfied = true
        var generatedCount = 0  // tokens generated so far by every running beam

        // Prefill once; all beams start from the same cache and the same logits row.
        let first = session.prefill(embeddings: embeddings, rows: rows)
        session.replicatePrefix(count: beams)
        var logits = session.logits
        for b in 1..<max(beams, 1) { (logits + b * vocab).update(from: first, count: vocab) }

        while true {
            // b. log-probs, processors, plus running scores.
            try inputIDs.withUnsafeBufferPointer { prompt in
                running.withUnsafeBufferPointer { seqs in
                    for b in 0..<beams {
                        let row = logits + b * vocab
                        logSoftmax(row, count: vocab, into: row)
                        let start = b * maxNew
                        processors.apply(to: row, vocabSize: vocab, prompt: prompt,
                                         generated: UnsafeBufferPointer(rebasing: seqs[start..<(start + generatedCount)]))
                        let s = runningScores[b]
                        for i in 0..<vocab { row[i] += s }
                    }
                }
                if Task.isCancelled { throw CaptionCancelled() }
            }
            // c. top `keep` over beams * vocab (sorted descending; earlier index first on ties).
            var filled = 0
            for flat in 0..<(beams * vocab) {
                let v = logits[flat]
                if filled == keep && !(v > candScore[keep - 1]) { continue }
                var pos = filled == keep ? keep - 1 : filled
                if filled < keep { filled += 1 }
                while pos > 0 && candScore[pos - 1] < v {
                    candScore[pos] = candScore[pos - 1]; candBeam[pos] = candBeam[pos - 1]; candToken[pos] = candToken[pos - 1]
                    pos -= 1
                }
                candScore[pos] = v; candBeam[pos] = flat / vocab; candToken[pos] = flat % vocab
            }
            // The processed log-prob of each candidate token (its score less its beam's running score).
            for k in 0..<filled { candLogprob[k] = candScore[k] - runningScores[candBeam[k]] }
            let attentionRows = session.queryAttention?.pointer
            // d. which candidates hit a stopping criterion (eos, or max length reached).
            let atMaxLength = generatedCount + 1 >= maxNew
            for k in 0..<keep { candHit[k] = atMaxLength || isStopToken(candToken[k], eosTokenIDs) }

            // e. next running beams: best `beams` candidates that did not stop.
            for k in 0..<keep { mergedScore[k] = candScore[k] + (candHit[k] ? BeamSearch.junk : 0) }
            Self.topIndices(mergedScore, count: keep, take: beams, into: &order)
            for b in 0..<beams {
                let k = order[b]
                let src = candBeam[k]
                sources[b] = Int32(src)
                nextRunningScores[b] = mergedScore[k]
                for t in 0..<generatedCount {
                    nextRunning[b * maxNew + t] = running[src * maxNew + t]
                    nextRunningLogprobs[b * maxNew + t] = runningLogprobs[src * maxNew + t]
                }
                nextRunning[b * maxNew + generatedCount] = Int32(candToken[k])
                nextRunningLogprobs[b * maxNew + generatedCount] = candLogprob[k]
                if let attentionRows {
                    copyAttention(&nextRunningAttention, b, from: runningAttention, src, tokens: generatedCount,
                                  adding: attentionRows, row: generatedCount == 0 ? 0 : src, queries: queries, maxNew: maxNew)
                }
                tokens[b] = Int32(candToken[k])
            }

            // f. finished hypotheses: merge the existing ones with the candidates that just stopped.
            let allFinished = !anyFalse(finishedFlags)
            let norm = Float(pow(Double(generatedCount + 1), lp))
            for b in 0..<beams { mergedScore[b] = finishedScores[b] }
            for k in 0..<keep {
                var s = candScore[k] / norm
                if allFinished && settings.earlyStopping { s += BeamSearch.junk }
                if !earlyStopUnsatisfied { s += BeamSearch.junk }
                let justFinished = candHit[k] && k < beams
                if !justFinished { s += BeamSearch.junk }
                mergedScore[beams + k] = s
            }
            Self.topIndices(mergedScore, count: beams + keep, take: beams, into: &order)
            for b in 0..<beams {
                let m = order[b]
                nextScores[b] = mergedScore[m]
                if m < beams {
                    for t in 0..<finishedLength[m] {
                        nextFinished[b * maxNew + t] = finished[m * maxNew + t]
                        nextFinishedLogprobs[b * maxNew + t] = finishedLogprobs[m * maxNew + t]
                    }
                    if recording {
                        for i in 0..<(finishedLength[m] * queries) {
                            nextFinishedAttention[(b * maxNew) * queries + i] = finishedAttention[(m * maxNew) * queries + i]
                        }
                    }
                    nextLengths[b] = finishedLength[m]
                    nextFlags[b] = finishedFlags[m]
                } else {
                    let k = m - beams, src = candBeam[k]
                    for t in 0..<generatedCount {
                        nextFinished[b * maxNew + t] = running[src * maxNew + t]
                        nextFinishedLogprobs[b * maxNew + t] = runningLogprobs[src * maxNew + t]
                    }
                    nextFinished[b * maxNew + generatedCount] = Int32(candToken[k])
                    nextFinishedLogprobs[b * maxNew + generatedCount] = candLogprob[k]
                    if let attentionRows {
                        copyAttention(&nextFinishedAttention, b, from: runningAttention, src, tokens: generatedCount,
                                      adding: attentionRows, row: generatedCount == 0 ? 0 : src, queries: queries, maxNew: maxNew)
                    }
                    nextLengths[b] = generatedCount + 1
                    nextFlags[b] = candHit[k] && k < beams
                }
            }
            swap(&finished, &nextFinished)
            swap(&finishedLength, &nextLengths); swap(&finishedScores, &nextScores); swap(&finishedFlags, &nextFlags)
            swap(&running, &nextRunning)
            swap(&runningLogprobs, &nextRunningLogprobs); swap(&finishedLogprobs, &nextFinishedLogprobs)
            swap(&runningAttention, &nextRunningAttention); swap(&finishedAttention, &nextFinishedAttention)
            swap(&runningScores, &nextRunningScores)
            generatedCount += 1

            // g. whether to go on.
            let bestPossible = runningScores[0] / Float(pow(Double(generatedCount), lp))
            let minFinished = minimum(finishedScores)
            var improvable = false
            for b in 0..<beams where bestPossible > (finishedFlags[b] ? minFinished : BeamSearch.junk) { improvable = true }
            earlyStopUnsatisfied = earlyStopUnsatisfied && improvable
            let everyBeamFinished = !anyFalse(finishedFlags)
            let stop = !earlyStopUnsatisfied || (everyBeamFinished && settings.earlyStopping) || !anyFalse(candHit)

            if let observer {
                let keepGoing = running.withUnsafeBufferPointer { observer(generatedCount, UnsafeBufferPointer(rebasing: $0[0..<generatedCount])) }
                if !keepGoing { throw CaptionCancelled() }
            }
            if stop { break }
            // a. forward the surviving beams one token.
            sources.withUnsafeBufferPointer { session.reorder(sources: $0.baseAddress!, batch: beams) }
            logits = tokens.withUnsafeBufferPointer { session.step(tokens: $0.baseAddress!, batch: beams) }
        }

        let returned = min(settings.numCaptions, beams)
        var sequences: [[Int]] = [], logprobs: [[Float]] = [], attention: [[Float]] = []
        for b in 0..<returned {
            sequences.append(tokenIDs(finished, from: b * maxNew, count: finishedLength[b]))
            logprobs.append(slice(finishedLogprobs, from: b * maxNew, count: finishedLength[b]))
            if recording { attention.append(slice(finishedAttention, from: b * maxNew * queries, count: finishedLength[b] * queries)) }
        }
        return Generated(sequences: sequences, scores: Array(finishedScores[0..<returned]), tokenLogprobs: logprobs,
                         queryAttention: recording ? attention : nil)
    }

    /// history[b] = history[src]'s first `tokens` rows, then the session's current attention row `row`.
    private func copyAttention(_ into: inout [Float], _ b: Int, from history: [Float], _ src: Int, tokens: Int,
                               adding rows: UnsafeMutablePointer<Float>, row: Int, queries: Int, maxNew: Int) {
        let to = b * maxNew * queries, from = src * maxNew * queries
        for i in 0..<(tokens * queries) { into[to + i] = history[from + i] }
        for q in 0..<queries { into[to + tokens * queries + q] = rows[row * queries + q] }
    }

    /// Indices of the `take` largest of values[0..<count], largest first; equal values keep index order.
    static func topIndices(_ values: [Float], count: Int, take: Int, into order: inout [Int]) {
        for i in 0..<count { order[i] = i }
        // Insertion sort: count is at most 3 * num_beams.
        for i in 1..<count {
            let x = order[i]
            var j = i
            while j > 0 && values[order[j - 1]] < values[x] { order[j] = order[j - 1]; j -= 1 }
            order[j] = x
        }
        _ = take
    }
}
