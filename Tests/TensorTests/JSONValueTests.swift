import XCTest
@testable import Tensor

final class JSONValueTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    func testKeepsIntegersApartFromOtherNumbers() throws {
        XCTAssertEqual(try parse("[0, -7, 9223372036854775807, 1.0, 1e3, 9223372036854775808, true]"),
                       .array([.integer(0), .integer(-7), .integer(Int.max), .number(1), .number(1000),
                               .number(9223372036854775808), .bool(true)]))
    }

    func testStringsAndEscapes() throws {
        XCTAssertEqual(try parse(#"{"a\"b":"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00"}"#),
                       .object(["a\"b": .string("\\/\u{8}\u{c}\n\r\tAé😀")]))
    }

    func testRejectsWhatJSONForbids() {
        for bad in ["", "   ", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "+1", ".5", "tru", "nul", "\"\\x\"",
                    "\"\\ud83d\"", "\"\\ude00\"", "\"a\nb\"", "{\"a\" 1}", "{1:2}", "[1 2]", "{} {}", "'a'", "NaN"] {
            XCTAssertThrowsError(try parse(bad), "accepted \(bad.debugDescription)")
        }
    }

    func testReportsWhereParsingStopped() {
        XCTAssertThrowsError(try parse(#"{"a": [1, 2,, 3]}"#)) { error in
            XCTAssertEqual((error as? JSONParseError)?.offset, 12)
        }
    }

    func testNestingLimit() throws {
        let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        XCTAssertNoThrow(try parse(ok))
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        XCTAssertThrowsError(try parse(deep))
    }

    func testTrailingSpacesAllowed() throws {
        XCTAssertEqual(try parse("{}      "), .object([:]))
    }
}
