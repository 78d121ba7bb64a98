import Foundation
import XCTest
@testable import Captioning

/// Swift BPETokenizer vs Hugging Face's fast GPT-2 tokenizer on tricky and random strings.
final class TokenizerParityTests: XCTestCase {
    /// Compares every encode case; returns (matched, total) and fails with the first mismatches.
    @discardableResult
    private func checkEncode(_ tok: BPETokenizer, _ suite: TokenizerFixtures.Suite, label: String,
                             file: StaticString = #filePath, line: UInt = #line) -> (Int, Int) {
        var matched = 0
        var failures: [String] = []
        for c in suite.encode {
            var problems: [String] = []
            let ids = tok.encode(c.text)
            if ids != c.ids { problems.append("ids \(ids) != HF \(c.ids)") }
            let bare = tok.encode(c.text, addBOS: false)
            if bare != c.ids_no_special { problems.append("no-BOS ids \(bare) != HF \(c.ids_no_special)") }
            let decoded = tok.decode(c.ids)
            if decoded != c.decoded { problems.append("decoded \(String(reflecting: decoded)) != HF \(String(reflecting: c.decoded))") }
            let withSpecial = tok.decode(c.ids, skipSpecialTokens: false)
            if withSpecial != c.decoded_with_special {
                problems.append("decoded with special \(String(reflecting: withSpecial)) != HF \(String(reflecting: c.decoded_with_special))")
            }
            if problems.isEmpty { matched += 1 } else {
                failures.append("\(String(reflecting: c.text)): " + problems.joined(separator: "; "))
            }
        }
        print("\(label): \(matched)/\(suite.encode.count) encode cases match HF")
        XCTAssertEqual(matched, suite.encode.count,
                       "\(label): mismatches:\n" + failures.prefix(10).joined(separator: "\n"), file: file, line: line)
        return (matched, suite.encode.count)
    }

    func testOPTLikeSalesforceLayoutMatchesHF() throws {
        let tok = try TokenizerFixtures.tokenizer("opt-like")
        XCTAssertEqual(tok.vocabSize, TokenizerFixtures.cases.opt.vocab_size)
        XCTAssertEqual(tok.bosTokenID, 2)
        XCTAssertEqual(tok.eosTokenID, 2)
        XCTAssertEqual(tok.padTokenID, 1)
        XCTAssertTrue(tok.addsBOSByDefault)
        checkEncode(tok, TokenizerFixtures.cases.opt, label: "opt-like (Salesforce layout)")
    }

    /// What transformers 5.x save_pretrained writes: tokenizer.json + tokenizer_config.json only,
    /// with add-BOS expressed by tokenizer.json's post-processor.
    func testTransformers5LayoutMatchesHF() throws {
        let tok = try TokenizerFixtures.tokenizer("opt-like-v5")
        XCTAssertEqual(tok.bosTokenID, 2)
        XCTAssertEqual(tok.padTokenID, 1)
        XCTAssertTrue(tok.addsBOSByDefault)
        checkEncode(tok, TokenizerFixtures.cases.opt, label: "opt-like-v5 (save_pretrained layout)")
    }

    /// vocab.json + merges.txt with the side files, no tokenizer.json (the fallback path).
    func testVocabAndMergesWithoutTokenizerJSONMatchesHF() throws {
        let dir = try TokenizerFixtures.subset(of: "opt-like", files: [
            "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let tok = try BPETokenizer(directory: dir)
        XCTAssertEqual(tok.vocabSize, TokenizerFixtures.cases.opt.vocab_size)
        checkEncode(tok, TokenizerFixtures.cases.opt, label: "vocab.json + merges.txt")
    }

    /// Added tokens with lstrip / rstrip / single_word / normalized flags.
    func testAddedTokenFlagsMatchHF() throws {
        let tok = try TokenizerFixtures.tokenizer("flags-v5")
        XCTAssertEqual(tok.vocabSize, TokenizerFixtures.cases.flags.vocab_size)
        XCTAssertTrue(tok.addedTokens.contains { $0.content == "<mask>" && $0.lstrip && $0.special })
        checkEncode(tok, TokenizerFixtures.cases.flags, label: "flags-v5")
    }

    /// Random id sequences and byte sequences that are not valid UTF-8 (lone continuation bytes,
    /// truncated sequences, surrogates, overlongs): U+FFFD placement must equal HF's.
    func testDecodeMatchesHFIncludingInvalidUTF8() throws {
        let tok = try TokenizerFixtures.tokenizer("opt-like")
        let cases = try XCTUnwrap(TokenizerFixtures.cases.opt.decode)
        var matched = 0
        var invalidUTF8Cases = 0
        for c in cases {
            let skip = tok.decode(c.ids)
            let keep = tok.decode(c.ids, skipSpecialTokens: false)
            XCTAssertEqual(skip, c.skip_special, "ids \(c.ids)")
            XCTAssertEqual(keep, c.with_special, "ids \(c.ids) keeping special tokens")
            if skip == c.skip_special && keep == c.with_special { matched += 1 }
            if c.bytes != nil { invalidUTF8Cases += 1 }
        }
        print("decode: \(matched)/\(cases.count) cases match HF (\(invalidUTF8Cases) invalid-UTF-8 byte sequences)")
        XCTAssertGreaterThan(invalidUTF8Cases, 10)
    }

    func testTokenLookupsAgreeWithTheFiles() throws {
        let dir = TokenizerFixtures.directory.appendingPathComponent("opt-like")
        let added = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("added_tokens.json"))) as! [String: Int]
        let vocab = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("vocab.json"))) as! [String: Int]
        let tok = try TokenizerFixtures.tokenizer("opt-like")
        XCTAssertEqual(tok.id(of: "<image>"), added["<image>"])
        for (token, id) in vocab {
            XCTAssertEqual(tok.id(of: token), id, token)
            XCTAssertEqual(tok.token(of: id), token)
        }
        XCTAssertEqual(tok.token(of: 2), "</s>")
        XCTAssertTrue(tok.isSpecial(2) && tok.isSpecial(1) && tok.isSpecial(added["<image>"]!))
        XCTAssertFalse(tok.isSpecial(0))  // "<s>" is only a vocabulary entry for OPT, not a special token
        XCTAssertNil(tok.token(of: -1))
        XCTAssertNil(tok.token(of: tok.vocabSize))
        XCTAssertNil(tok.id(of: "no such token"))
    }

    func testLoneContinuationByteDecodesToOneReplacementCharacter() throws {
        let tok = try TokenizerFixtures.tokenizer("opt-like")
        // 0x80 is spelled U+0122 'Ģ' in GPT-2's byte alphabet (the 35th non-printable byte).
        let id = try XCTUnwrap(tok.id(of: "\u{0122}"))
        XCTAssertEqual(tok.decode([id]), "\u{FFFD}")
        let a = try XCTUnwrap(tok.id(of: "a"))
        XCTAssertEqual(tok.decode([a, id, a]), "a\u{FFFD}a")
    }
}
