import XCTest
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

final class CaptionWrapTests: XCTestCase {
    func testWrapsAtSpacesWithinWidth() {
        let text = "The face has raised cheeks and pulled lip corners, which together indicate happiness."
        for width in [11, 12, 20, 33, 80] { // the longest word, "happiness.", has 10
            let lines = CaptionWrap.lines(text, highlights: CaptionHighlights(), width: width)
            XCTAssertTrue(lines.allSatisfy { $0.plainText.count <= width }, "width \(width)")
            XCTAssertEqual(lines.map(\.plainText).joined(separator: " "), text, "no word lost or split at \(width)")
        }
    }

    func testLongWordsAreSplit() {
        let lines = CaptionWrap.lines("a supercalifragilistic word", highlights: CaptionHighlights(), width: 6)
        XCTAssertTrue(lines.allSatisfy { $0.plainText.count <= 6 })
        XCTAssertEqual(lines.map(\.plainText).joined().replacingOccurrences(of: " ", with: ""), "asupercalifragilisticword")
        XCTAssertGreaterThan(lines.count, 4)
    }

    func testHighlightsColourExactlyTheirPhrases() {
        let text = "Raised cheeks show happiness, not anger."
        let spans = [
            HighlightSpan(kind: .action, range: text.range(of: "Raised cheeks")!),
            HighlightSpan(kind: .emotion, range: text.range(of: "happiness")!),
            HighlightSpan(kind: .disagreeingEmotion, range: text.range(of: "anger")!),
        ]
        let line = CaptionWrap.lines(text, highlights: CaptionHighlights(spans: spans), width: 80)[0]
        XCTAssertEqual(line, [StyledRun("Raised cheeks", .action), StyledRun(" show ", .text), StyledRun("happiness", .emotion),
                              StyledRun(", not ", .text), StyledRun("anger", .disagree), StyledRun(".", .text)])
    }

    func testSearchMatchesAreMarkedCaseInsensitively() {
        let line = CaptionWrap.lines("Lips Pressed", highlights: CaptionHighlights(), search: "press", width: 40)[0]
        XCTAssertEqual(line, [StyledRun("Lips ", .text), StyledRun("Press", .searchMatch), StyledRun("ed", .text)])
    }

    func testRangesFromAnotherStringAreIgnoredNotCrashing() {
        let other = String(repeating: "x", count: 200)
        let span = HighlightSpan(kind: .emotion, range: other.index(other.startIndex, offsetBy: 150)..<other.endIndex)
        let lines = CaptionWrap.lines("short", highlights: CaptionHighlights(spans: [span]), width: 10)
        XCTAssertEqual(lines, [[StyledRun("short", .text)]])
    }
}
