import XCTest
@testable import Captioning

/// The map arithmetic on inputs small enough to work out by hand.
final class AttentionMapTests: XCTestCase {
    func testChainsLanguageModelAttentionThroughCrossAttentionAndDropsCLS() {
        // 2 queries, CLS + 4 patches. Query 0 looks at patch 0 only; query 1 splits patches 2 and 3.
        let cross: [Float] = [0.5, 0.5, 0, 0, 0,
                              0.2, 0, 0, 0.4, 0.4]
        // Token 0 attends 0.3 to query 0 and 0.1 to query 1 (the rest went to text positions).
        // Token 1 attends only to query 1.
        let lm: [Float] = [0.3, 0.1,
                           0, 0.5]
        let maps = AttentionMap.tokenMaps(queryAttention: lm, crossAttention: cross, queries: 2, imageTokens: 5)
        // Token 0: patch0 = 0.3*0.5 = 0.15, patch2 = patch3 = 0.1*0.4 = 0.04; total 0.23.
        XCTAssertEqual(maps[0][0], 0.15 / 0.23, accuracy: 1e-6)
        XCTAssertEqual(maps[0][1], 0)
        XCTAssertEqual(maps[0][2], 0.04 / 0.23, accuracy: 1e-6)
        XCTAssertEqual(maps[0][3], 0.04 / 0.23, accuracy: 1e-6)
        XCTAssertEqual(maps[1], [0, 0, 0.5, 0.5])
    }

    func testAMapWithNoMassIsUniform() {
        let maps = AttentionMap.tokenMaps(queryAttention: [0], crossAttention: [1, 0, 0], queries: 1, imageTokens: 3)
        XCTAssertEqual(maps[0], [0.5, 0.5])
    }

    func testWordAndCaptionMapsAverageTheirTokens() {
        let maps: [[Float]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]]
        XCTAssertEqual(AttentionMap.average(maps, tokens: [0, 1]), [0.5, 0.5, 0, 0])
        XCTAssertEqual(AttentionMap.average(maps, tokens: [0, 1, 2, 9]), [1.0 / 3, 1.0 / 3, 0, 1.0 / 3])
        XCTAssertNil(AttentionMap.average(maps, tokens: [7]))
    }

    func testBandMass() {
        // 2x2 grid: the top row holds 0.7.
        XCTAssertEqual(AttentionMap.mass([0.5, 0.2, 0.1, 0.2], gridColumns: 2, rows: 0..<1), 0.7, accuracy: 1e-6)
    }

    func testWordsCollectTheTokensThatWroteThem() {
        // " raised", " br", "ows", ".", "\n" (eos): the caption is trimmed of its leading space and newline.
        let pieces = [" raised", " br", "ows", ".", "\n"]
        let words = CaptionWords.align(caption: "raised brows.", pieces: pieces)
        XCTAssertEqual(words.map(\.text), ["raised", "brows."])
        XCTAssertEqual(words.map(\.tokens), [[0], [1, 2, 3]])
        XCTAssertEqual(words.map(\.start), [0, 7])
        let logprobs: [Float] = [log(0.9), log(0.6), log(0.3), log(0.99), log(0.5)]
        XCTAssertEqual(CaptionWords.confidence(words[1], logprobs: logprobs)!, 0.3, accuracy: 1e-6)
        XCTAssertNil(CaptionWords.confidence(words[1], logprobs: []))
    }
}
