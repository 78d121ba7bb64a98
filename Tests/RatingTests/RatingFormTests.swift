import Study
import XCTest
@testable import Rating
@testable import TerminalUI
import TerminalTesting

final class RatingFormTests: XCTestCase {
    func form(_ captions: Int = 2) -> RatingForm {
        RatingForm(position: 4, letters: (0..<captions).map(Blinding.letter))
    }

    func testDigitsFillFieldsInOrderAndZeroIsTen() {
        var f = form(2)
        XCTAssertNil(f.type(digits("7 0 3")))
        XCTAssertEqual(f.value(caption: 0, field: .correctness), 7)
        XCTAssertEqual(f.value(caption: 0, field: .completeness), 10)
        XCTAssertEqual(f.value(caption: 1, field: .correctness), 3)
        XCTAssertEqual(f.cursor, .init(caption: 1, field: .completeness))
        f.type(digits("4"))
        // The last field keeps the cursor, so a second key corrects it instead of wrapping to A.
        XCTAssertEqual(f.cursor, .init(caption: 1, field: .completeness))
        f.type(digits("5"))
        XCTAssertEqual(f.value(caption: 1, field: .completeness), 5)
    }

    func testNavigationWrapsAndKeepsTheField() {
        var f = form(3)
        f.type([.backTab])
        XCTAssertEqual(f.cursor, .init(caption: 2, field: .completeness))
        f.type([.tab])
        XCTAssertEqual(f.cursor, .init(caption: 0, field: .correctness))
        f.type([.right, .down, .down, .down])
        XCTAssertEqual(f.cursor, .init(caption: 2, field: .completeness))
        f.type([.up, .left])
        XCTAssertEqual(f.cursor, .init(caption: 1, field: .correctness))
        f.type(digits("6") + [.left, .backspace])
        XCTAssertNil(f.value(caption: 1, field: .correctness))
    }

    func testEnterWithMissingScoresPointsAtTheFirstGap() {
        var f = form(2)
        f.type(digits("7 8") + [.tab] + digits("5"))   // B correctness skipped over
        XCTAssertNil(f.type([.enter]))
        XCTAssertEqual(f.cursor, .init(caption: 1, field: .correctness))
        XCTAssertEqual(f.message?.isError, true)
        XCTAssertTrue(f.message!.text.contains("B correctness"), f.message!.text)
        XCTAssertFalse(f.message!.text.contains("B completeness"))
    }

    func testDistinctCompletenessSubmitsWithoutAsking() {
        var f = form(3)
        let effect = f.type(digits("7 9 5 2 8 6") + [.enter])
        XCTAssertEqual(effect, .submit(FaceSubmission(
            position: 4,
            scores: [CaptionScore(correctness: 7, completeness: 9), CaptionScore(correctness: 5, completeness: 2),
                     CaptionScore(correctness: 8, completeness: 6)],
            mostComplete: 0, leastComplete: 1, comment: nil)))
        XCTAssertEqual(f.mode, .editing)
    }

    func testTieForMostAsksAmongTheTiedOnly() {
        var f = form(3)
        XCTAssertNil(f.type(digits("5 9 6 9 7 3") + [.enter]))
        XCTAssertEqual(f.mode, .pickingMost(candidates: [0, 1]))
        // C is not tied: refused, still asking.
        XCTAssertNil(f.handle(.char("c")))
        XCTAssertEqual(f.mode, .pickingMost(candidates: [0, 1]))
        XCTAssertEqual(f.message?.text, "press A or B")
        guard case let .submit(s)? = f.handle(.char("b")) else { return XCTFail("no submission") }
        XCTAssertEqual(s.mostComplete, 1)
        XCTAssertEqual(s.leastComplete, 2)
    }

    func testAllTiedTwoCaptionsNeedOnePick() {
        var f = form(2)
        f.type(digits("8 6 3 6") + [.enter])
        XCTAssertEqual(f.mode, .pickingMost(candidates: [0, 1]))
        // The other caption is then the least complete without asking.
        guard case let .submit(s)? = f.handle(.char("A")) else { return XCTFail("no submission") }
        XCTAssertEqual(s.mostComplete, 0)
        XCTAssertEqual(s.leastComplete, 1)
    }

    func testAllTiedThreeCaptionsAskMostThenLeastWithoutTheMost() {
        var f = form(3)
        f.type(digits("1 4 2 4 3 4") + [.enter])
        XCTAssertEqual(f.mode, .pickingMost(candidates: [0, 1, 2]))
        XCTAssertNil(f.handle(.char("b")))
        XCTAssertEqual(f.mode, .pickingLeast(candidates: [0, 2]))
        XCTAssertNil(f.handle(.char("b")), "B is already the most complete")
        guard case let .submit(s)? = f.handle(.char("c")) else { return XCTFail("no submission") }
        XCTAssertEqual([s.mostComplete, s.leastComplete], [1, 2])
    }

    func testEscapeLeavesThePickAndChangingCompletenessForgetsIt() {
        var f = form(2)
        f.type(digits("8 6 3 6") + [.enter])
        f.type([.escape])
        XCTAssertEqual(f.mode, .editing)
        f.type([.enter, .char("b")])
        XCTAssertEqual(f.mostComplete, 1)
        // A failed write leaves the form as it was: Enter again submits the same pick without asking.
        guard case .submit? = f.handle(.enter) else { return XCTFail("should resubmit") }
        // A new completeness value invalidates the choice.
        f.cursor = .init(caption: 0, field: .completeness)
        f.type(digits("6"))   // the same value again: the choice stands
        XCTAssertEqual(f.mostComplete, 1)
        f.cursor = .init(caption: 0, field: .completeness)
        f.type(digits("9"))
        XCTAssertNil(f.mostComplete)
        guard case let .submit(s)? = f.handle(.enter) else { return XCTFail("no tie now") }
        XCTAssertEqual([s.mostComplete, s.leastComplete], [0, 1])
    }

    func testCommentIsTypedKeptAndSent() {
        var f = form(1)
        f.type([.char("c")] + chars("eyes  closed") + [.backspace] + chars("d!") + [.enter])
        XCTAssertEqual(f.comment, "eyes  closed!")
        XCTAssertEqual(f.mode, .editing)
        f.type([.char("c")] + chars(" more") + [.escape])
        XCTAssertEqual(f.comment, "eyes  closed!", "Esc keeps the old comment")
        guard case let .submit(s)? = f.type(digits("4 4") + [.enter]) else { return XCTFail("no submission") }
        XCTAssertEqual(s.comment, "eyes  closed!")
        XCTAssertEqual([s.mostComplete, s.leastComplete], [0, 0], "one caption is both")
    }

    func testSkipNeedsAReasonAndKeepsItUntilSaved() {
        var f = form(2)
        XCTAssertNil(f.type([.char("s"), .enter]))
        XCTAssertEqual(f.mode, .skipReason(draft: ""))
        XCTAssertEqual(f.message?.isError, true)
        XCTAssertEqual(f.type(chars(" no face visible ") + [.enter]), .skip(reason: "no face visible"))
        XCTAssertEqual(f.mode, .skipReason(draft: " no face visible "))
        f.type([.escape])
        XCTAssertEqual(f.mode, .editing)
    }

    func testQuitAsksOnlyWithUnsavedInput() {
        var clean = form(2)
        XCTAssertEqual(clean.handle(.char("q")), .quit)
        var dirty = form(2)
        dirty.type(digits("3"))
        XCTAssertNil(dirty.handle(.char("q")))
        XCTAssertEqual(dirty.mode, .confirmQuit)
        XCTAssertNil(dirty.handle(.char("n")))
        XCTAssertEqual(dirty.mode, .editing)
        XCTAssertEqual(dirty.value(caption: 0, field: .correctness), 3)
        XCTAssertEqual(dirty.type([.char("q"), .char("y")]), .quit)
    }

    func testUndoKeyAsksForThePreviousFace() {
        var f = form(2)
        f.type(digits("3"))
        XCTAssertEqual(f.handle(.char("u")), .reopenPrevious)
    }

    func testReopenedAnswerIsLoadedAndCleanUntilChanged() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        _ = try backend.submit(FaceSubmission(position: 0, scores: [CaptionScore(correctness: 2, completeness: 5),
                                                                   CaptionScore(correctness: 9, completeness: 5)],
                                              mostComplete: 1, leastComplete: 0, comment: "hm"))
        _ = try backend.skip(position: 1, reason: "blurry")
        var reopened = RatingForm(face: try backend.face(at: 0))
        XCTAssertEqual(reopened.value(caption: 1, field: .correctness), 9)
        XCTAssertEqual(reopened.comment, "hm")
        XCTAssertFalse(reopened.isDirty)
        guard case let .submit(s)? = reopened.handle(.enter) else { return XCTFail("earlier tie pick kept") }
        XCTAssertEqual([s.mostComplete, s.leastComplete], [1, 0])
        XCTAssertEqual(reopened.handle(.char("q")), .quit)
        let skipped = RatingForm(face: try backend.face(at: 1))
        XCTAssertTrue(skipped.missing.count == 4)
        XCTAssertTrue(skipped.message?.text.contains("blurry") == true)
    }

    /// Every answer the form hands out is one the store accepts (the store checks the protocol).
    func testFormSubmissionsPassTheStoresValidation() throws {
        let backend = try TestRatingBackend(faces: 4, models: 3)
        let cases: [([KeyInput], [KeyInput])] = [
            (digits("1 1 2 2 3 3"), []), (digits("5 7 5 7 5 2"), [.char("b")]),
            (digits("4 4 4 4 4 4"), [.char("c"), .char("a")]), (digits("9 1 9 1 9 8"), [.char("b")]),
        ]
        for (position, (scores, picks)) in cases.enumerated() {
            var f = RatingForm(face: try backend.face(at: position))
            guard case let .submit(s)? = f.type(scores + [.enter] + picks) else {
                return XCTFail("case \(position): no submission, mode \(f.mode)")
            }
            XCTAssertNoThrow(try backend.submit(s), "case \(position)")
        }
        XCTAssertEqual(try backend.progress(), try backend.session.progress())
        XCTAssertEqual(try backend.progress().finished, 4)
    }
}
