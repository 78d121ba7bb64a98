import Foundation
import XCTest
@testable import Captioning

/// The parity models' tokenizer against transformers' ids and decodes (Tests/Fixtures/parity/tokenizer_cases.json):
/// the same tokenizer files the fixture models carry, read the way the captioner reads them.
final class ParityTokenizerTests: XCTestCase {
    func testEveryRecordedCaseMatches() throws {
        let url = ParityFixture.root.appendingPathComponent("tokenizer_cases.json")
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let cases = root["cases"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        for fixture in try ParityFixture.all {
            let tokenizer = try BPETokenizer(directory: fixture.directory)
            for c in cases {
                let text = c["text"] as! String
                XCTAssertEqual(tokenizer.encode(text), c["input_ids"] as? [Int], "\(fixture.name) encode \(text.debugDescription)")
                XCTAssertEqual(tokenizer.encode(text, addBOS: false), c["input_ids_no_special"] as? [Int], "\(fixture.name) \(text.debugDescription)")
                let ids = c["input_ids"] as! [Int]
                XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true), c["decoded_skip_special"] as? String, "\(fixture.name) decode \(text.debugDescription)")
                XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: false), c["decoded"] as? String, "\(fixture.name) decode \(text.debugDescription)")
            }
            for c in root["decode_cases"] as? [[String: Any]] ?? [] {
                guard let ids = c["ids"] as? [Int], let expected = c["decoded_skip_special"] as? String else { continue }
                XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true), expected, "\(fixture.name) decode \(ids)")
            }
        }
    }

    func testShardedCheckpointLoadsTheSameWeights() throws {
        let single = try CaptionerLoader().load(ParityFixture.root.appendingPathComponent("tiny-bf16"))
        let sharded = try CaptionerLoader().load(ParityFixture.root.appendingPathComponent("tiny-bf16-sharded"))
        let fixture = try ParityFixture(name: "tiny-bf16")
        let pixels = try fixture.floats("pixel_values")
        let a = try single.model.encode(pixelValues: pixels), b = try sharded.model.encode(pixelValues: pixels)
        XCTAssertEqual(a.projectedQueries, b.projectedQueries)
        let settings = single.defaultSettings
        XCTAssertEqual(try single.caption(pixelValues: pixels, settings: settings).tokenIDs,
                       try sharded.caption(pixelValues: pixels, settings: settings).tokenIDs)
    }
}
