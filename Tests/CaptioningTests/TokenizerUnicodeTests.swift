import Foundation
import XCTest
@testable import Captioning
import BPE

final class TokenizerUnicodeTests: XCTestCase {
    /// Every Unicode scalar gets the regex class (\p{L}, \p{N}, \s, other) that HF's ByteLevel
    /// pre-tokenizer gives it, as probed by the fixture script.
    func testScalarClassesMatchHFForEveryScalar() throws {
        let data = try Data(contentsOf: TokenizerFixtures.directory.appendingPathComponent("scalar_classes.json"))
        let runs = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[Any]])
        var checked = 0
        var mismatches: [String] = []
        for run in runs {
            let first = try XCTUnwrap(run[0] as? Int), last = try XCTUnwrap(run[1] as? Int)
            let expected: PreTokenClass
            switch run[2] as? String {
            case "L": expected = .letter
            case "N": expected = .number
            case "S": expected = .whitespace
            default: expected = .other
            }
            for v in first...last {
                let scalar = try XCTUnwrap(Unicode.Scalar(UInt32(v)))
                checked += 1
                if PreTokenClass.of(scalar) != expected, mismatches.count < 20 {
                    mismatches.append(String(format: "U+%04X: %@ expected %@", v, "\(PreTokenClass.of(scalar))", "\(expected)"))
                }
            }
        }
        XCTAssertEqual(checked, 0x110000 - 0x800)
        XCTAssertTrue(mismatches.isEmpty, mismatches.joined(separator: "\n"))
    }

    func testByteAlphabetIsGPT2s() {
        let table = ByteLevelAlphabet.scalarForByte
        XCTAssertEqual(Set(table).count, 256)
        // Known spellings from GPT-2's vocab.json: space 'Ġ', newline 'Ċ', tab 'ĉ', NUL 'Ā', NBSP 'ł', soft hyphen 'Ń'.
        XCTAssertEqual(table[0x20], "\u{0120}")
        XCTAssertEqual(table[0x0A], "\u{010A}")
        XCTAssertEqual(table[0x09], "\u{0109}")
        XCTAssertEqual(table[0x00], "\u{0100}")
        XCTAssertEqual(table[0xA0], "\u{0142}")
        XCTAssertEqual(table[0xAD], "\u{0143}")
        XCTAssertEqual(table[0x41], "A")
        XCTAssertEqual(table[0xE9], "é")
        for b in 0..<256 { XCTAssertEqual(ByteLevelAlphabet.byte(for: table[b]), UInt8(b)) }
        XCTAssertNil(ByteLevelAlphabet.byte(for: " "))
        XCTAssertNil(ByteLevelAlphabet.byte(for: "表"))
    }

    func testPreTokenizerWhitespaceLookahead() {
        func pieces(_ s: String) -> [String] {
            let bytes = Array(s.utf8)
            return GPT2PreTokenizer.pieces(of: bytes, in: 0..<bytes.count)
                .map { String(decoding: bytes[$0], as: UTF8.self) }
        }
        XCTAssertEqual(pieces("a   b"), ["a", "  ", " b"])
        XCTAssertEqual(pieces("a \n b"), ["a", " \n", " b"])
        XCTAssertEqual(pieces("a\nb"), ["a", "\n", "b"])
        XCTAssertEqual(pieces("end  "), ["end", "  "])
        XCTAssertEqual(pieces("don't I'M"), ["don", "'t", " I", "'", "M"])
        XCTAssertEqual(pieces("x 2023!!"), ["x", " 2023", "!!"])
        XCTAssertEqual(pieces(""), [])
    }
}
