import XCTest
@testable import Captioning

/// After a beam search reorder every sequence continues the history of the sequence it was given,
/// also when the reorder moves sequences in a cycle, copies one to several places, and follows
/// earlier reorders (the cache then moves only past the shared prefix, and sets aside only what
/// is overwritten and still to be read).
final class BeamReorderTests: XCTestCase {
    func testEachSequenceContinuesItsSourcesHistory() throws {
        let fixture = try XCTUnwrap(try ParityFixture.all.first)
        let language = try fixture.captioner().model.language
        let c = language.config
        let prefixRows = 6, beams = 5, rounds: [[Int32]] = [[1, 2, 3, 4, 0], [0, 0, 1, 2, 3], [3, 3, 0, 4, 1], [4, 3, 2, 1, 0]]
        let embeddings = (0..<(prefixRows * c.embedWidth)).map { Float(sin(Double($0) * 0.37)) }
        let token = { (round: Int, beam: Int) in Int32((7 + 13 * round + 29 * beam) % c.vocabSize) }

        let session = OPTSession(model: language, maxBatch: beams, maxLength: prefixRows + rounds.count + 2, prefillRows: prefixRows)
        _ = embeddings.withUnsafeBufferPointer { session.prefill(embeddings: $0.baseAddress!, rows: prefixRows) }
        session.replicatePrefix(count: beams)
        var histories = [[Int32]](repeating: [], count: beams)
        for (round, sources) in rounds.enumerated() {
            let tokens = (0..<beams).map { token(round, $0) }
            _ = tokens.withUnsafeBufferPointer { session.step(tokens: $0.baseAddress!, batch: beams) }
            for b in 0..<beams { histories[b].append(tokens[b]) }
            sources.withUnsafeBufferPointer { session.reorder(sources: $0.baseAddress!, batch: beams) }
            histories = sources.map { histories[Int($0)] }
        }
        let last = (0..<beams).map { token(rounds.count, $0) }
        let logits = Array(UnsafeBufferPointer(start: last.withUnsafeBufferPointer { session.step(tokens: $0.baseAddress!, batch: beams) },
                                               count: beams * c.vocabSize))

        // Each sequence against a session of its own that saw its history and nothing else.
        for b in 0..<beams {
            let alone = OPTSession(model: language, maxBatch: 1, maxLength: prefixRows + rounds.count + 2, prefillRows: prefixRows)
            _ = embeddings.withUnsafeBufferPointer { alone.prefill(embeddings: $0.baseAddress!, rows: prefixRows) }
            var expected: UnsafeMutablePointer<Float>?
            for t in histories[b] + [last[b]] { expected = [t].withUnsafeBufferPointer { alone.step(tokens: $0.baseAddress!, batch: 1) } }
            let want = Array(UnsafeBufferPointer(start: try XCTUnwrap(expected), count: c.vocabSize))
            let got = Array(logits[(b * c.vocabSize)..<((b + 1) * c.vocabSize)])
            let worst = zip(got, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-4, "sequence \(b) (history \(histories[b])) differs from its history decoded alone")
        }
    }
}
