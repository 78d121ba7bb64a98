import XCTest
@testable import Faces

final class CaptionAnalysisTests: XCTestCase {
    private func aus(_ caption: String) -> [Int] { CaptionAnalysis.analyze(caption).actionUnits }
    private func emotions(_ caption: String) -> [Emotion] { CaptionAnalysis.analyze(caption).namedEmotions }

    func testPapersRuleBasedExample() {
        let caption = "It is a people who raises inner eyebrow, raises outer eyebrow, raises upper lid, separates lips and drops jaw."
        let analysis = CaptionAnalysis.analyze(caption)
        XCTAssertEqual(analysis.actions.map(\.au), [1, 2, 5, 25, 26])
        XCTAssertEqual(analysis.actions.map { String(caption[$0.range]) },
                       ["raises inner eyebrow", "raises outer eyebrow", "raises upper lid", "separates lips", "drops jaw"])
        XCTAssertTrue(analysis.emotions.isEmpty)
    }

    /// The paper's text for faces without AUs; it describes no action, and its last clause is negated.
    func testPapersNoActionDescriptionNamesNoAction() {
        let caption = "The eyes may be open and looking straight ahead, with the mouth closed or slightly open in a relaxed "
            + "position. The forehead may be relatively smooth with minimal wrinkles or creases. The eyebrows may be "
            + "in a natural position, not raised or furrowed."
        XCTAssertEqual(aus(caption), [])
        XCTAssertEqual(emotions(caption), [])
    }

    func testParaphrases() {
        XCTAssertEqual(aus("Her brows are raised and her jaw dropped."), [1, 2, 26])
        XCTAssertEqual(aus("raised inner brows"), [1])
        XCTAssertEqual(aus("The lip corners are pulled up into a smile."), [12])
        XCTAssertEqual(aus("the corners of the mouth are pulled upward"), [12])
        XCTAssertEqual(aus("He has a furrowed brow and a wrinkled nose."), [4, 9])
        XCTAssertEqual(aus("lowered brows, narrowed eyes and tightly pressed lips"), [4, 7, 24])
        XCTAssertEqual(aus("eyes closed, mouth open"), [25, 43])
        XCTAssertEqual(aus("Her mouth is wide open."), [25, 27])
        XCTAssertEqual(aus("The person is raising their inner and outer eyebrows, widening their eyes, and dropping their jaw."),
                       [1, 2, 5, 26])
        XCTAssertEqual(aus("The corners of her lips turn down and her lower lip is pulled down."), [15, 16])
        XCTAssertEqual(aus("He sticks his tongue out."), [19])
        XCTAssertEqual(aus("Her lips are puckered."), [18])
        XCTAssertEqual(aus("She raises her upper lip."), [10])
        XCTAssertEqual(aus("She raises her upper lids."), [5])
    }

    /// DFER-CLIP's class descriptions (REFERENCE.md section 7) and the AUs a FACS coder reads in them.
    func testDFERClassDescriptions() {
        XCTAssertEqual(aus("a smiling mouth, raised cheeks, wrinkled eyes, and arched eyebrows."), [6, 12])
        XCTAssertEqual(aus("tears, a downward turned mouth, drooping upper eyelids, and a wrinkled forehead."), [15])
        XCTAssertEqual(aus("relaxed facial muscles, a straight mouth, a smooth forehead, and unremarkable eyebrows."), [])
        XCTAssertEqual(aus("furrowed eyebrows, narrow eyes, tightened lips, and flared nostrils."), [4, 7, 23])
        XCTAssertEqual(aus("widened eyes, an open mouth, raised eyebrows, and a frozen expression."), [1, 2, 5, 25])
        XCTAssertEqual(aus("a wrinkled nose, lowered eyebrows, a tightened mouth, and narrow eyes."), [4, 7, 9, 23])
        XCTAssertEqual(aus("raised eyebrows, parted lips, a furrowed brow, and a retracted chin."), [1, 2, 4, 25])
    }

    func testNoFalseFriends() {
        XCTAssertEqual(aus("The mouth is partially hidden by a hand."), [], "partially is not part")
        XCTAssertEqual(aus("a close up of a man with a beard"), [])
        XCTAssertEqual(aus("She raises inner eyebrow, lowers head."), [1], "a phrase does not reach across a comma")
        XCTAssertEqual(aus("The eyebrow and lower lip are visible."), [], "nor across a conjunction")
    }

    func testEmotions() {
        XCTAssertEqual(emotions("The face shows happiness."), [.happiness])
        XCTAssertEqual(emotions("He looks angry and disgusted."), [.anger, .disgust])
        XCTAssertEqual(emotions("a close up of a man with a sad face"), [.sadness])
        XCTAssertEqual(emotions("The woman appears scared, maybe surprised."), [.fear, .surprise])
        XCTAssertEqual(emotions("The face shows disgust and happiness."), [.disgust, .happiness])
        XCTAssertEqual(emotions("She is smiling."), [], "smiling is an action")
        XCTAssertEqual(aus("She is smiling."), [12])
        XCTAssertEqual(emotions("A calm, expressionless face."), [.neutral])
    }

    func testNegation() {
        XCTAssertEqual(emotions("He is not happy."), [])
        XCTAssertEqual(emotions("She doesn't look happy, she looks sad."), [.sadness])
        XCTAssertEqual(emotions("neither happy nor sad"), [])
        XCTAssertEqual(emotions("There is no sign of fear; the person is calm."), [.neutral])
        XCTAssertEqual(aus("The brows are not raised."), [])
        XCTAssertEqual(aus("without raising the eyebrows"), [])
    }

    func testRangesPointAtTheWords() {
        let caption = "Die Person — “happy” — RAISES Her Cheeks."
        let analysis = CaptionAnalysis.analyze(caption)
        XCTAssertEqual(analysis.emotions.map { String(caption[$0.range]) }, ["happy"])
        XCTAssertEqual(analysis.actions.map { String(caption[$0.range]) }, ["RAISES Her Cheeks"])
        XCTAssertEqual(analysis.actions.map(\.au), [6])
    }

    func testDisagreement() {
        func disagrees(_ caption: String, _ truth: String?) -> Bool {
            CaptionAnalysis.analyze(caption).disagrees(with: FaceLabels(emotion: truth))
        }
        XCTAssertTrue(disagrees("The face shows happiness.", "sadness"))
        XCTAssertTrue(disagrees("A smiling, happy face.", "contempt"), "the paper's contempt-as-happiness failure")
        XCTAssertFalse(disagrees("The face shows happiness.", "happiness"))
        XCTAssertFalse(disagrees("The person looks afraid.", "fear and surprise"))
        XCTAssertFalse(disagrees("The person looks surprised.", "fear and surprise"))
        XCTAssertFalse(disagrees("Happy, or perhaps sad.", "sadness"), "one matching emotion is enough")
        XCTAssertFalse(disagrees("She raises her cheeks.", "sadness"), "no emotion named, nothing to contradict")
        XCTAssertFalse(disagrees("He is happy.", nil))
        XCTAssertFalse(disagrees("He is not happy.", "sadness"), "a negated emotion is not named")
        XCTAssertTrue(disagrees("The face shows anger.", "fear and surprise"))
    }

    /// Issue 14, item 6: "sadness and anger" on a sadness face names an emotion other than the
    /// ground truth, so it is marked, as partial agreement.
    func testVerdictSeparatesPartialAgreement() {
        func verdict(_ caption: String, _ truth: String?) -> EmotionVerdict? {
            CaptionAnalysis.analyze(caption).verdict(against: FaceLabels(emotion: truth))
        }
        XCTAssertEqual(verdict("The face expresses sadness and anger.", "sadness"), .partial)
        XCTAssertEqual(verdict("Happy, or perhaps sad.", "sadness"), .partial)
        XCTAssertEqual(verdict("The face shows sadness.", "sadness"), .agrees)
        XCTAssertEqual(verdict("The person looks afraid.", "fear and surprise"), .agrees, "either part of a compound label")
        XCTAssertEqual(verdict("Fear and surprise show.", "fear and surprise"), .agrees)
        XCTAssertEqual(verdict("The face shows happiness.", "contempt"), .disagrees)
        XCTAssertNil(verdict("She raises her cheeks.", "sadness"))
        XCTAssertNil(verdict("He is happy.", nil))
    }
}
