import Faces
import Study
import XCTest
@testable import Explorer

/// What a new rater tripped over (issue 14, items 1-4), each as the rater met it.
final class RatingScreenTripsTests: XCTestCase {
    func rating(_ flow: RatingFlow) -> (FaceToRate, RatingForm)? {
        guard case let .rating(face, form) = flow.screen else { return nil }
        return (face, form)
    }

    static let small = RatingLayout.compute(width: 70, height: 20)

    func press(_ flow: RatingFlow, _ keys: [KeyInput], tooSmall: Bool = false) -> Bool {
        var quit = false
        for key in keys { quit = flow.handle(key, layout: tooSmall ? Self.small : nil) || quit }
        return quit
    }

    /// Item 1: at 70x20 "3456" Enter was saved as a rating, and q opened an invisible prompt.
    func testKeysTypedBlindOnTheTooSmallScreenDoNothing() throws {
        let backend = try TestRatingBackend(faces: 2, models: 2)
        let flow = try RatingFlow(backend: backend)
        _ = press(flow, [.enter])
        XCTAssertFalse(press(flow, digits("3 4 5 6") + [.enter, .char("c"), .char("s"), .char("u")], tooSmall: true))
        XCTAssertEqual(backend.writes, 0, "nothing saved")
        XCTAssertEqual(rating(flow)?.0.position, 0)
        XCTAssertEqual(rating(flow)?.1.values, [[nil, nil], [nil, nil]])
        XCTAssertEqual(rating(flow)?.1.mode, .editing)
        XCTAssertTrue(press(flow, [.char("q")], tooSmall: true), "q quits a face with nothing typed")
    }

    func testQuitOnTheTooSmallScreenAsksWhereTheRaterCanSeeIt() throws {
        let flow = try RatingFlow(backend: try TestRatingBackend(faces: 2, models: 2))
        _ = press(flow, [.enter] + digits("7"))
        XCTAssertFalse(press(flow, [.char("q")], tooSmall: true))
        XCTAssertEqual(rating(flow)?.1.mode, .confirmQuit)
        let canvas = GridCanvas(width: 70, height: 20)
        _ = RatingPainter.paint(flow, layout: RatingLayout.compute(width: 70, height: 20), image: .none,
                                glyphs: .unicode, on: canvas)
        XCTAssertTrue(canvas.screen.contains("enlarge the terminal"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("This face is not saved. Quit anyway?"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("y quits"), canvas.screen)
        XCTAssertFalse(press(flow, [.resize], tooSmall: true), "a resize is not an answer")
        XCTAssertEqual(rating(flow)?.1.mode, .confirmQuit)
        XCTAssertFalse(press(flow, [.char("n")], tooSmall: true))
        XCTAssertEqual(rating(flow)?.1.mode, .editing, "any other key stays")
        XCTAssertEqual(rating(flow)?.1.values[0][0], 7, "the typed score is kept")
        XCTAssertTrue(press(flow, [.char("q"), .char("y")], tooSmall: true))
    }

    func testTheExplorerAlsoIgnoresKeysWhileTooSmall() {
        var s = Fixtures.state()
        let small = ScreenLayout.compute(width: 70, height: 20, modelCount: 2, focusedPane: 0)
        for key in [KeyInput.char("j"), .char("r"), .char("/"), .char("f"), .enter, .char("?")] {
            XCTAssertEqual(s.handle(key, layout: small), [])
        }
        XCTAssertEqual(s.mode, .normal)
        XCTAssertEqual(s.cursor, 0)
        XCTAssertEqual(s.handle(.char("q"), layout: small), [.quit])
    }

    /// Item 2: at 80x24 a long caption ended "...the face expresses sadness an…" with no way to read on.
    func testEveryWordOfALongCaptionCanBeReadWithV() throws {
        let words = (1...90).map { "word\($0)" }.joined(separator: " ") + " the face expresses sadness and anger END"
        let backend = try TestRatingBackend(faces: 1, models: 3, captions: { _, model in model == 1 ? words : "short \(model)" })
        let flow = try RatingFlow(backend: backend)
        let layout = RatingLayout.compute(width: 80, height: 24)
        _ = flow.handle(.enter, layout: layout)
        var canvas = paint(flow, layout)
        XCTAssertFalse(canvas.screen.contains("END"), "the form cuts the long caption")
        XCTAssertTrue(canvas.screen.contains("v shows every caption in full"), canvas.screen)
        XCTAssertTrue(canvas.lines[23].contains("v read all"), canvas.lines[23])
        _ = flow.handle(.char("7"), layout: layout)
        _ = flow.handle(.char("v"), layout: layout)
        var seen: [String] = []
        for _ in 0..<40 {
            canvas = paint(flow, layout)
            seen += canvas.lines.map { $0.dropFirst(layout.captions.x).trimmingCharacters(in: .whitespaces) }
            _ = flow.handle(.char("j"), layout: layout)
        }
        let text = Set(seen.joined(separator: " ").split(separator: " ").map(String.init))
        for word in words.split(separator: " ") { XCTAssertTrue(text.contains(String(word)), "\(word) never shown") }
        XCTAssertTrue(seen.contains { $0.hasPrefix("A  correctness 7  completeness -") }, "scores shown while reading")
        guard case let .reading(top)? = rating(flow).map({ $0.1.mode }) else { return XCTFail("still reading") }
        XCTAssertEqual(top, RatingReadingView.maxTop(rating(flow)!.0, form: rating(flow)!.1, rect: layout.captions),
                       "j stops at the end")
        _ = flow.handle(.char("k"), layout: layout)
        XCTAssertEqual(rating(flow)?.1.mode, .reading(top: top - 1), "one k scrolls back at once")
        _ = flow.handle(.escape, layout: layout)
        XCTAssertEqual(rating(flow)?.1.mode, .editing)
        XCTAssertEqual(rating(flow)?.1.values[0][0], 7, "reading keeps the scores")
    }

    func paint(_ flow: RatingFlow, _ layout: RatingLayout) -> GridCanvas {
        let canvas = GridCanvas(width: layout.width, height: layout.height)
        _ = RatingPainter.paint(flow, layout: layout, image: .none, glyphs: .unicode, on: canvas)
        return canvas
    }

    /// Item 3: the face stayed 40x20 cells however large the terminal.
    func testTheFaceGrowsWithTheTerminal() {
        var last = 0
        for (w, h) in [(80, 24), (100, 30), (160, 45)] {
            let layout = RatingLayout.compute(width: w, height: h)
            XCTAssertGreaterThan(layout.face.width * layout.face.height, last, "\(w)x\(h)")
            last = layout.face.width * layout.face.height
            XCTAssertGreaterThanOrEqual(layout.captions.width, 37, "a score line fits at \(w)x\(h)")
            XCTAssertLessThanOrEqual(layout.captions.maxX, w)
        }
        XCTAssertEqual(RatingLayout.compute(width: 80, height: 24).face.width, 40)
        let big = RatingLayout.compute(width: 160, height: 45)
        XCTAssertGreaterThanOrEqual(min(big.face.width, 2 * big.face.height), 80, "a square face 80 cells wide")
    }

    /// Item 4: u then Enter with nothing changed made revision 2 with a new time.
    func testReopeningAndSavingUnchangedIsNotANewRevision() throws {
        let backend = try TestRatingBackend(faces: 3, models: 2)
        let flow = try RatingFlow(backend: backend)
        _ = press(flow, [.enter] + digits("7 8 6 5") + [.enter])
        let first = try XCTUnwrap(try backend.face(at: 0).previous)
        _ = press(flow, [.char("u"), .enter])
        XCTAssertEqual(rating(flow)?.0.position, 1, "moved on")
        XCTAssertEqual(backend.writes, 1, "no second write")
        let again = try XCTUnwrap(try backend.face(at: 0).previous)
        XCTAssertEqual(again.revision, 1)
        XCTAssertEqual(again.submittedAt, first.submittedAt)
        // A real change still makes a revision.
        _ = press(flow, [.char("u"), .char("x"), .char("9"), .enter])
        XCTAssertEqual(try backend.face(at: 0).previous?.revision, 2)
    }

    func testReadmeRatingKeyTableIsTheBindingList() throws {
        let readme = try String(contentsOf: KeyBindingTests.readme, encoding: .utf8)
        let table = RatingKeys.bindings.markdownTable(heading: "rating screen")
        XCTAssertTrue(readme.contains(table + "\n"), "README's rating key table differs from RatingKeys.bindings:\n\(table)")
        XCTAssertEqual(RatingKeys.keyLine(width: 78).count <= 78, true)
        XCTAssertTrue(RatingKeys.keyLine(width: 78).hasSuffix("q quit"))
        XCTAssertTrue(RatingKeys.keyLine(width: 78).hasPrefix("1-9,0=10 score  Enter save  v read all"))
    }
}
