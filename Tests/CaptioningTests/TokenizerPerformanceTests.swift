import Foundation
import XCTest
@testable import Captioning

final class TokenizerPerformanceTests: XCTestCase {
    /// 10 KB of mixed text, cold cache, debug build: well under 50 ms is the target.
    func testEncoding10KBIsFast() throws {
        let tok = try TokenizerFixtures.tokenizer("opt-like")
        let paragraph = TokenizerFixtures.cases.opt.encode.prefix(60).map(\.text).joined(separator: " ")
        var text = ""
        while text.utf8.count < 10_000 { text += paragraph + "\n" }
        let clock = ContinuousClock()
        var ids: [Int] = []
        let cold = clock.measure { ids = tok.encode(text) }
        let warm = clock.measure { ids = tok.encode(text) }
        print("encode \(text.utf8.count) bytes -> \(ids.count) ids: cold \(cold), warm \(warm)")
        XCTAssertLessThan(cold, .milliseconds(50))
        // Decoding the prefix grown by one token at a time (what the UI does) must stay cheap.
        let prefixDecode = clock.measure {
            for n in stride(from: 0, through: min(ids.count, 200), by: 1) { _ = tok.decode(Array(ids.prefix(n))) }
        }
        print("200 prefix decodes: \(prefixDecode)")
        XCTAssertLessThan(prefixDecode, .milliseconds(100))
    }
}
