import Study
import XCTest
@testable import Rating
@testable import TerminalUI
import TerminalTesting

final class RatingFlowTests: XCTestCase {
    func rating(_ flow: RatingFlow, file: StaticString = #filePath, line: UInt = #line) -> (FaceToRate, RatingForm)? {
        guard case let .rating(face, form) = flow.screen else {
            XCTFail("not rating: \(flow.screen)", file: file, line: line)
            return nil
        }
        return (face, form)
    }

    func press(_ flow: RatingFlow, _ keys: [KeyInput]) -> Bool {
        var quit = false
        for key in keys { quit = flow.handle(key) || quit }
        return quit
    }

    func testInstructionsThenFacesInOrderThenDone() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        let flow = try RatingFlow(backend: backend)
        XCTAssertEqual(flow.screen, .instructions(resume: 0))
        XCTAssertFalse(press(flow, [.enter]))
        XCTAssertEqual(rating(flow)?.0.position, 0)
        XCTAssertFalse(press(flow, digits("7 8 6 5") + [.enter]))
        XCTAssertEqual(rating(flow)?.0.position, 1)
        XCTAssertEqual(flow.progress.description, "1 / 2")
        XCTAssertFalse(press(flow, digits("1 2 3 4") + [.enter]))
        XCTAssertEqual(flow.screen, .done)
        XCTAssertEqual(flow.progress.description, "2 / 2")
        XCTAssertTrue(press(flow, [.char("q")]))
    }

    func testResumesAtTheFirstUnfinishedFace() throws {
        let backend = try TestRatingBackend(faces: 3, models: 2)
        _ = try backend.skip(position: 0, reason: "dark")
        let flow = try RatingFlow(backend: backend)
        XCTAssertEqual(flow.screen, .instructions(resume: 1))
        XCTAssertEqual(flow.progress.description, "1 / 3")
        _ = press(flow, [.char(" ")])
        XCTAssertEqual(rating(flow)?.0.position, 1)
    }

    func testFailedWriteKeepsEveryTypedValueAndRetrySucceeds() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        let flow = try RatingFlow(backend: backend)
        _ = press(flow, [.enter, .char("c")] + chars("ok") + [.enter] + digits("7 8 6 5"))
        backend.failWrites = StudyError.storage(path: "/x/studies.sqlite", action: "save face 1 for rater alice",
                                                reason: "the disk (or the database's size limit) is full; nothing of this step was saved")
        XCTAssertFalse(press(flow, [.enter]))
        guard let (face, form) = rating(flow) else { return }
        XCTAssertEqual(face.position, 0, "still on the same face")
        XCTAssertEqual(form.values, [[7, 8], [6, 5]])
        XCTAssertEqual(form.comment, "ok")
        XCTAssertEqual(form.message?.isError, true)
        XCTAssertTrue(form.message!.text.contains("disk"), form.message!.text)
        XCTAssertEqual(try backend.progress().finished, 0)
        backend.failWrites = nil
        _ = press(flow, [.enter])
        XCTAssertEqual(rating(flow)?.0.position, 1)
        XCTAssertEqual(try backend.face(at: 0).previous?.comment, "ok")
    }

    func testFailedSkipKeepsTheReason() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        let flow = try RatingFlow(backend: backend)
        backend.failWrites = StudyError.storage(path: "/x", action: "save", reason: "read-only")
        _ = press(flow, [.enter, .char("s")] + chars("occluded") + [.enter])
        XCTAssertEqual(rating(flow)?.1.mode, .skipReason(draft: "occluded"))
        backend.failWrites = nil
        _ = press(flow, [.enter])
        XCTAssertEqual(rating(flow)?.0.position, 1)
        XCTAssertEqual(try backend.face(at: 0).previous?.skippedReason, "occluded")
    }

    func testUndoReopensThePreviousFaceAndComesBackToTheDraft() throws {
        let backend = try TestRatingBackend(faces: 3, models: 2)
        let flow = try RatingFlow(backend: backend)
        _ = press(flow, [.enter] + digits("7 8 6 5") + [.enter] + digits("3"))   // face 2 half typed
        _ = press(flow, [.char("u")])
        guard let (face, form) = rating(flow) else { return }
        XCTAssertEqual(face.position, 0)
        XCTAssertEqual(form.values, [[7, 8], [6, 5]], "the saved answer is shown")
        // Change A's correctness and save again: back to face 2 with its draft.
        _ = press(flow, digits("9") + [.enter])
        guard let (back, draft) = rating(flow) else { return }
        XCTAssertEqual(back.position, 1)
        XCTAssertEqual(draft.value(caption: 0, field: .correctness), 3)
        XCTAssertEqual(try backend.face(at: 0).previous?.scores.first?.correctness, 9)
        XCTAssertEqual(try backend.face(at: 0).previous?.revision, 2)
        XCTAssertEqual(flow.progress.description, "1 / 3")
    }

    func testUndoOnTheFirstFaceSaysSo() throws {
        let flow = try RatingFlow(backend: try TestRatingBackend(faces: 2, models: 2))
        _ = press(flow, [.enter, .char("u")])
        XCTAssertEqual(rating(flow)?.0.position, 0)
        XCTAssertEqual(rating(flow)?.1.message?.text, "this is the first face")
    }

    func testDoneScreenReopensTheLastFace() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        _ = try backend.skip(position: 0, reason: "a")
        _ = try backend.skip(position: 1, reason: "b")
        let flow = try RatingFlow(backend: backend)
        XCTAssertEqual(flow.screen, .instructions(resume: nil))
        _ = press(flow, [.enter])
        XCTAssertEqual(flow.screen, .done)
        _ = press(flow, [.char("u")])
        XCTAssertEqual(rating(flow)?.0.position, 1)
        _ = press(flow, digits("5 5 4 4") + [.enter])
        XCTAssertEqual(flow.screen, .done)
        XCTAssertNil(try backend.face(at: 1).previous?.skippedReason)
    }

    func testQuitWithUnsavedInputNeedsConfirmation() throws {
        let flow = try RatingFlow(backend: try TestRatingBackend(faces: 2, models: 2))
        XCTAssertFalse(press(flow, [.enter] + digits("4") + [.char("q")]))
        XCTAssertEqual(rating(flow)?.1.mode, .confirmQuit)
        XCTAssertTrue(press(flow, [.char("y")]))
    }
}
