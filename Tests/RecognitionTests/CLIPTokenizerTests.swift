import Foundation
import XCTest
@testable import Recognition

/// The CLIP tokenizer against transformers' CLIPTokenizer on tricky strings (case, accents and NFC,
/// whitespace runs, emoji, CJK, contractions, special tokens written in the text, empty input).
final class CLIPTokenizerTests: XCTestCase {
    func testMatchesTransformersCLIPTokenizer() throws {
        let tokenizer = try CLIPTokenizer(directory: RecognitionFixtures.url("tokenizer"))
        let cases = try RecognitionFixtures.json("tokenizer_cases.json")["cases"] as! [[String: Any]]
        XCTAssertGreaterThan(cases.count, 10)
        for c in cases {
            let text = c["text"] as! String
            let expected = RecognitionFixtures.ints(c["ids"])
            let ids = tokenizer.encode(text)
            XCTAssertEqual(ids, expected, "\"\(text)\": \(ids.map { tokenizer.token(of: $0) ?? "?" }) vs \(expected.map { tokenizer.token(of: $0) ?? "?" })")
        }
    }

    func testEndOfTextMustBeTheLargestID() throws {
        let dir = try RecognitionFixtures.scratch("vocab-order")
        try #"{"a": 0, "<|endoftext|>": 1, "<|startoftext|>": 2}"#.write(to: dir.appendingPathComponent("vocab.json"), atomically: true, encoding: .utf8)
        try "#version: 0.2\n".write(to: dir.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CLIPTokenizer(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("not the largest id"), "\(error)")
        }
    }
}
