import XCTest
@testable import Faces

final class FACSVocabularyTests: XCTestCase {
    func testTableCoversThePapersActionUnits() {
        XCTAssertEqual(FACS.actionUnits.map(\.number),
                       [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 43])
        XCTAssertEqual(FACS.unit(43)?.noun, "eyes closed")
        XCTAssertEqual(FACS.unit(14)?.verb, "tighten lip corner")
        XCTAssertNil(FACS.unit(3))
    }

    /// The sentence is quoted from the paper (REFERENCE.md section 4), not produced by this code.
    func testRuleBasedCaptionReproducesThePapersExample() {
        XCTAssertEqual(FACS.ruleBasedCaption(for: [1, 2, 5, 25, 26]),
                       "It is a people who raises inner eyebrow, raises outer eyebrow, raises upper lid, separates lips and drops jaw.")
        XCTAssertEqual(FACS.ruleBasedCaption(for: [20]), "It is a people who stretches lips.")
        XCTAssertNil(FACS.ruleBasedCaption(for: []))
        XCTAssertNil(FACS.ruleBasedCaption(for: [3]))
    }

    func testVerbForms() {
        XCTAssertEqual(verbForms("raise"), ["raise", "raises", "raised", "raising"])
        XCTAssertEqual(verbForms("drop"), ["drop", "drops", "dropped", "dropping"])
        XCTAssertEqual(verbForms("stretch"), ["stretch", "stretches", "stretched", "stretching"])
        XCTAssertEqual(verbForms("pull"), ["pull", "pulls", "pulled", "pulling"])
        XCTAssertTrue(verbForms("stick").contains("stuck"))
    }

    /// Every AU's rule-based sentence and noun form must read back as exactly that AU: this catches
    /// phrases that swallow each other (lip corner tightener vs lip tightener, upper lid vs upper lip).
    func testEveryTablePhraseReadsBackAsItsOwnActionUnit() {
        for unit in FACS.actionUnits {
            let sentence = FACS.ruleBasedCaption(for: [unit.number])!
            XCTAssertEqual(CaptionAnalysis.analyze(sentence).actionUnits, [unit.number], sentence)
            let noun = "The face shows \(unit.noun)."
            XCTAssertEqual(CaptionAnalysis.analyze(noun).actionUnits, [unit.number], noun)
        }
    }

    func testAllActionUnitsInOneRuleBasedCaption() {
        let all = FACS.actionUnits.map(\.number)
        let caption = FACS.ruleBasedCaption(for: all)!
        XCTAssertEqual(CaptionAnalysis.analyze(caption).actionUnits, all, caption)
    }

    func testEmotionWordsAreDisjointAndCoverTheLabelVocabulary() {
        for emotion in Emotion.allCases {
            XCTAssertEqual(EmotionWords.byWord[emotion.rawValue], emotion)
        }
        XCTAssertNil(EmotionWords.byWord["smiling"], "smiling is an action (AU 12), not an emotion")
        XCTAssertNil(EmotionWords.byWord["depressed"], "depressed lip corners are AU 15")
    }
}
