import XCTest
@testable import Tensor

/// With a probability matrix per head the cores take heads in parallel: the context, and the
/// probabilities a tap adds up, must equal running the heads one after another on one buffer.
final class AttentionHeadsTests: XCTestCase {
    func testParallelHeadsEqualHeadsInTurnWithCausalMaskAndTap() {
        let heads = 8, headDim = 64, width = heads * headDim, rows = 40, keys = 45, causal = 5
        XCTAssertGreaterThanOrEqual(heads * rows * keys * headDim, Attention.parallelThreshold, "big enough to run in parallel")
        var state: UInt64 = 11
        func next() -> Float { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Float(state % 2001) / 1000 - 1 }
        let q = FloatBuffer((0..<(rows * width)).map { _ in next() })
        let k = FloatBuffer((0..<(keys * width)).map { _ in next() })
        let v = FloatBuffer((0..<(keys * width)).map { _ in next() })
        func run(scores: FloatBuffer) -> (context: [Float], tapped: [Float]) {
            let out = FloatBuffer(count: rows * width), sum = FloatBuffer(count: rows * keys)
            Attention.multiHead(q: q.pointer, ldq: width, k: k.pointer, ldk: width, v: v.pointer, ldv: width,
                                out: out.pointer, ldo: width, queryRows: rows, keyRows: keys, heads: heads, headDim: headDim,
                                scale: 0.125, causalOffset: causal, scores: scores,
                                tap: AttentionTap(sum: sum.pointer, firstRow: 0, keyColumns: keys, weight: 1 / Float(heads)))
            return (Array(UnsafeBufferPointer(start: out.pointer, count: rows * width)),
                    Array(UnsafeBufferPointer(start: sum.pointer, count: rows * keys)))
        }
        let inTurn = run(scores: FloatBuffer(count: rows * keys))
        let parallel = run(scores: FloatBuffer(count: Attention.scoresCount(queryRows: rows, keyRows: keys, heads: heads)))
        XCTAssertEqual(parallel.context, inTurn.context)
        XCTAssertEqual(parallel.tapped, inTurn.tapped)
        // The causal mask held: row 0 sees keys 0...5 only, and each averaged row sums to 1.
        XCTAssertEqual(inTurn.tapped[causal + 1..<keys].reduce(0, +), 0)
        XCTAssertEqual(inTurn.tapped[0..<keys].reduce(0, +), 1, accuracy: 1e-5)
    }

    /// A decoding step of several sequences (beams), each against its own cache, split over the
    /// cores: every sequence's context and tapped probabilities equal running it alone, and match
    /// softmax(q k^T) v in double precision.
    func testSequencesSplitOverCoresEqualEachSequenceAlone() {
        let heads = 16, headDim = 64, width = heads * headDim, batch = 5, keys = 70, maxLength = 80
        let stride = maxLength * width
        XCTAssertGreaterThanOrEqual(batch * heads * keys * headDim, Attention.parallelThreshold, "big enough to split")
        var state: UInt64 = 5
        func next() -> Float { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Float(state % 2001) / 1000 - 1 }
        let q = FloatBuffer((0..<(batch * width)).map { _ in next() * 0.125 })
        let k = FloatBuffer((0..<(batch * stride)).map { _ in next() })
        let v = FloatBuffer((0..<(batch * stride)).map { _ in next() })
        let scores = FloatBuffer(count: batch * maxLength)
        func run(first: Int, count: Int) -> (context: [Float], tapped: [Float]) {
            let out = FloatBuffer(count: count * width), sum = FloatBuffer(count: count * keys)
            Attention.oneRowPerSequence(q: q.pointer + first * width, ldq: width, k: k.pointer + first * stride,
                                        v: v.pointer + first * stride, ld: width, sequenceStride: stride,
                                        out: out.pointer, ldo: width, batch: count, keys: keys, heads: heads, headDim: headDim,
                                        scores: scores, tap: AttentionTap(sum: sum.pointer, firstRow: 0, keyColumns: keys, weight: 1 / Float(heads)),
                                        tapStride: keys)
            return (Array(UnsafeBufferPointer(start: out.pointer, count: count * width)),
                    Array(UnsafeBufferPointer(start: sum.pointer, count: count * keys)))
        }
        let together = run(first: 0, count: batch)
        for b in 0..<batch {
            let alone = run(first: b, count: 1)
            XCTAssertEqual(Array(together.context[(b * width)..<((b + 1) * width)]), alone.context, "sequence \(b)")
            XCTAssertEqual(Array(together.tapped[(b * keys)..<((b + 1) * keys)]), alone.tapped, "sequence \(b)")
            XCTAssertEqual(alone.tapped.reduce(0, +), 1, accuracy: 1e-5)
            // Head 3 of sequence b in double precision.
            let off = 3 * 64
            var logits = (0..<keys).map { j in
                (0..<headDim).reduce(0.0) { $0 + Double(q[b * width + off + $1]) * Double(k[b * stride + j * width + off + $1]) }
            }
            let top = logits.max()!
            logits = logits.map { exp($0 - top) }
            let total = logits.reduce(0, +)
            for c in 0..<headDim {
                let expected = (0..<keys).reduce(0.0) { $0 + logits[$1] / total * Double(v[b * stride + $1 * width + off + c]) }
                XCTAssertEqual(Double(alone.context[off + c]), expected, accuracy: 1e-5)
            }
        }
    }
}
