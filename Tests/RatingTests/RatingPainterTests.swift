import Faces
import Study
import XCTest
@testable import Rating
@testable import TerminalUI
import TerminalTesting

final class RatingPainterTests: XCTestCase {
    func paint(_ flow: RatingFlow, width: Int = 80, height: Int = 24,
               image: FaceImage = .loading) -> (GridCanvas, ImagePlacement?) {
        let canvas = GridCanvas(width: width, height: height)
        let placement = RatingPainter.paint(flow, layout: RatingLayout.compute(width: width, height: height),
                                            image: image, glyphs: .unicode, on: canvas)
        return (canvas, placement)
    }

    func testRatingScreenAt80x24IsBlindAndShowsProgress() throws {
        let backend = try TestRatingBackend(faces: 5, models: 3)
        _ = try backend.skip(position: 0, reason: "x")
        let flow = try RatingFlow(backend: backend)
        _ = flow.handle(.enter)
        _ = flow.handle(.char("7"))
        let image = HalfBlockRenderer.render(RGBImage(width: 8, height: 8, pixels: Array(repeating: 90, count: 192)),
                                             boxColumns: 40, boxRows: 20, mode: .palette256)!
        let (canvas, placement) = paint(flow, image: .ready(image))
        let screen = canvas.screen
        for expected in ["face 2", "done 1 / 5", "rater alice", "study pilot", "A correctness [ 7]  completeness [  ]",
                         "B correctness [  ]", "C correctness [  ]", "Enter save"] {
            XCTAssertTrue(screen.contains(expected), "missing \(expected) in\n\(screen)")
        }
        // Every caption of face 2 is there, each under one letter; no model name anywhere.
        for slot in 1...3 { XCTAssertTrue(screen.contains("face 2 by model-\(slot)"), screen) }
        XCTAssertFalse(screen.contains("secret-model"), screen)
        XCTAssertEqual(canvas.role(of: "[ 7]"), .text)
        XCTAssertEqual(canvas.role(of: "[  ]"), .selection, "the cursor moved on to A completeness")
        XCTAssertEqual(placement?.column, image.offsetX)
        XCTAssertEqual(placement?.row, 1 + image.offsetY)
        // The face's box is left blank for the terminal layer; the captions start right of the border.
        XCTAssertTrue(canvas.lines[5].hasPrefix(String(repeating: " ", count: 40) + "│"), canvas.lines[5])
        XCTAssertTrue(canvas.lines.allSatisfy { $0.count == 80 })
    }

    func testCaptionLettersFollowTheRatersBlindOrder() throws {
        let backend = try TestRatingBackend(faces: 4, models: 3)
        let flow = try RatingFlow(backend: backend)
        _ = flow.handle(.enter)
        let (canvas, _) = paint(flow)
        let order = try backend.session.blindOrder(position: 0)
        let lines = canvas.lines
        for (displayIndex, slot) in order.enumerated() {
            let letterRow = lines.firstIndex { $0.dropFirst(42).hasPrefix("\(Blinding.letter(displayIndex)) correctness") }!
            XCTAssertTrue(lines[letterRow + 1].contains("face 1 by model-\(slot + 1)"),
                          "caption \(Blinding.letter(displayIndex)) should be slot \(slot)\n\(canvas.screen)")
        }
    }

    func testRevealedStudyNamesTheModels() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        try backend.store.reveal(study: "pilot")
        let flow = try RatingFlow(backend: backend)
        _ = flow.handle(.enter)
        let screen = paint(flow).0.screen
        XCTAssertTrue(screen.contains("model: secret-model-1") && screen.contains("model: secret-model-2"), screen)
    }

    func testTooSmallAskToEnlarge() throws {
        let flow = try RatingFlow(backend: try TestRatingBackend())
        _ = flow.handle(.enter)
        let (canvas, placement) = paint(flow, width: 79, height: 24)
        XCTAssertNil(placement)
        XCTAssertTrue(canvas.screen.contains("enlarge the terminal to at least 80x24"), canvas.screen)
        XCTAssertTrue(paint(flow, width: 80, height: 23).0.screen.contains("enlarge"))
    }

    func testTiePromptAndWriteErrorAreShown() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        let flow = try RatingFlow(backend: backend)
        for key in [KeyInput.enter] + digits("5 5 6 5") + [.enter] { _ = flow.handle(key) }
        var screen = paint(flow).0.screen
        XCTAssertTrue(screen.contains("A, B tie for MOST complete"), screen)
        XCTAssertTrue(screen.contains("press A or B"), screen)
        backend.failWrites = StudyError.storage(
            path: "/home/rater/.local/share/facecap/studies.sqlite", action: "save face 1 for rater alice",
            reason: "the disk (or the database's size limit) is full; nothing of this step was saved")
        _ = flow.handle(.char("a"))
        screen = paint(flow).0.screen
        // The error is long: it wraps onto the second message line rather than being cut.
        XCTAssertTrue(screen.contains("not saved:"), screen)
        XCTAssertTrue(screen.contains("nothing of this step was saved"), screen)
        XCTAssertTrue(screen.contains("A correctness [ 5]  completeness [ 5]"), screen)
    }

    func testInstructionsAndDoneScreens() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        _ = try backend.skip(position: 0, reason: "x")
        let flow = try RatingFlow(backend: backend)
        var screen = paint(flow).0.screen
        XCTAssertTrue(screen.contains("Judge the expression only."), screen)
        XCTAssertTrue(screen.contains("Press Enter to resume at face 2 of 2 (done 1 / 2)."), screen)
        for key in [KeyInput.enter] + digits("1 2 3 4") + [.enter] { _ = flow.handle(key) }
        screen = paint(flow).0.screen
        XCTAssertTrue(screen.contains("Done, thank you!"), screen)
        XCTAssertTrue(screen.contains("done 2 / 2"), screen)
    }

    func testRowsAreSharedAndTheFocusedCaptionGetsTheRest() {
        XCTAssertEqual(RatingCaptionsView.rowsForText(needed: [2, 9, 9], available: 12, focused: 2), [2, 4, 6])
        XCTAssertEqual(RatingCaptionsView.rowsForText(needed: [1, 1], available: 12, focused: 0), [1, 1])
        XCTAssertEqual(RatingCaptionsView.rowsForText(needed: [5, 5], available: 0, focused: 1), [0, 0])
    }

    func testControlCharactersInCaptionsShowAsSpaces() {
        XCTAssertEqual(RatingCaptionsView.printable("ha\tas\u{7}x"), "ha as x")
    }
}
