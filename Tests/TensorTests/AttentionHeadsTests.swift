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
}
