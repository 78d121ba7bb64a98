import Faces
import Captioning
import XCTest
@testable import Explorer

final class ExplorerStateTests: XCTestCase {
    let layout = Fixtures.layout

    func testNavigationClampsAndPages() {
        var s = Fixtures.state()
        XCTAssertEqual(s.handle(.char("j"), layout: layout), [.replan])
        XCTAssertEqual(s.cursor, 1)
        _ = s.handle(.char("G"), layout: layout)
        XCTAssertEqual(s.cursor, 5)
        XCTAssertEqual(s.handle(.down, layout: layout), [], "no move past the end, no replan")
        _ = s.handle(.char("g"), layout: layout)
        XCTAssertEqual(s.cursor, 0)
        _ = s.handle(.pageDown, layout: layout)
        XCTAssertEqual(s.cursor, 5, "a page is longer than the list")
        _ = s.handle(.up, layout: layout)
        XCTAssertEqual(s.cursor, 4)
    }

    func testScrollKeepsCursorVisible() {
        let small = ScreenLayout.compute(width: 80, height: 24, modelCount: 2, focusedPane: 0)
        var s = ExplorerState(items: (0..<100).map { FaceItem(id: "f\($0)", source: .inlineGrey(width: 1, height: 1, pixels: [0])) },
                              models: [])
        for _ in 0..<50 { _ = s.handle(.char("j"), layout: small) }
        XCTAssertEqual(s.cursor, 50)
        XCTAssertTrue(s.scroll <= 50 && 50 < s.scroll + small.list.height)
        _ = s.handle(.click(x: 3, y: small.list.y + 2), layout: small)
        XCTAssertEqual(s.cursor, s.scroll + 2)
    }

    func testSearchNarrowsByFileNameAndCaption() {
        var s = Fixtures.state()
        _ = s.handle(.char("/"), layout: layout)
        for c in "happ" { _ = s.handle(.char(c), layout: layout) }
        XCTAssertEqual(s.visible, [0, 3])
        _ = s.handle(.escape, layout: layout)
        XCTAssertEqual(s.visible.count, 6)
        s.slots[SlotKey(item: 4, model: 1)] = .done(Fixtures.outcome("a trembling mouth"))
        _ = s.handle(.char("/"), layout: layout)
        for c in "TREMB" { _ = s.handle(.char(c), layout: layout) }
        _ = s.handle(.enter, layout: layout)
        XCTAssertEqual(s.visible, [4])
        XCTAssertEqual(s.mode, .normal)
        XCTAssertEqual(s.search, "tremb".uppercased())
    }

    func testFilterMenuByEmotionAUAndDisagreement() {
        var s = Fixtures.state()
        s.slots[SlotKey(item: 2, model: 0)] = .done(Fixtures.outcome("happy", disagree: true))
        _ = s.handle(.char("f"), layout: layout)
        guard case let .filter(menu) = s.mode else { return XCTFail("filter menu expected") }
        XCTAssertEqual(menu.choices.first, .all)
        XCTAssertTrue(menu.choices.contains(.emotion("fear")))
        XCTAssertTrue(menu.choices.contains(.actionUnit(12)))
        // Move to "emotion: anger" (choices: all, anger, fear, happiness, ...).
        _ = s.handle(.char("j"), layout: layout)
        _ = s.handle(.enter, layout: layout)
        XCTAssertEqual(s.filter, .emotion("anger"))
        XCTAssertEqual(s.visible, [2])

        s.filter = .actionUnit(12)
        _ = s.refilter(layout: layout)
        XCTAssertEqual(s.visible, [0, 3])
        s.filter = .disagrees
        _ = s.refilter(layout: layout)
        XCTAssertEqual(s.visible, [2])
    }

    func testCaptionTextFilterIsTyped() {
        var s = Fixtures.state()
        s.slots[SlotKey(item: 1, model: 0)] = .done(Fixtures.outcome("tears on the cheeks"))
        _ = s.handle(.char("f"), layout: layout)
        for _ in 0..<30 { _ = s.handle(.char("j"), layout: layout) } // last choice: caption text
        _ = s.handle(.enter, layout: layout)
        for c in "tears" { _ = s.handle(.char(c), layout: layout) }
        _ = s.handle(.enter, layout: layout)
        XCTAssertEqual(s.filter, .captionText("tears"))
        XCTAssertEqual(s.visible, [1])
    }

    func testEscCancelsWhenBusyElseClearsSearch() {
        var s = Fixtures.state()
        s.queued = [SlotKey(item: 0, model: 1)]
        s.slots[SlotKey(item: 0, model: 0)] = .running(.encoding)
        XCTAssertEqual(s.handle(.escape, layout: layout), [.cancelAll])
        XCTAssertTrue(s.cancelled.contains(SlotKey(item: 0, model: 1)))
        s.slots = [:]
        s.search = "sad"
        _ = s.refilter(layout: layout)
        _ = s.handle(.escape, layout: layout)
        XCTAssertEqual(s.search, "")
        XCTAssertEqual(s.visible.count, 6)
    }

    func testRegenerateDialogSetsSettingsAndForcesTheSelectedFace() {
        var s = Fixtures.state()
        _ = s.handle(.tab, layout: layout)
        XCTAssertEqual(s.focusedPane, 1)
        _ = s.handle(.char("r"), layout: layout)
        guard case .regenerate = s.mode else { return XCTFail("dialog expected") }
        _ = s.handle(.char("l"), layout: layout)      // method -> nucleus
        _ = s.handle(.char("j"), layout: layout)      // top-p field
        _ = s.handle(.char("j"), layout: layout)      // captions field
        _ = s.handle(.char("l"), layout: layout)
        _ = s.handle(.char("l"), layout: layout)      // 3 captions
        XCTAssertEqual(s.handle(.enter, layout: layout), [.replan])
        let settings = s.settings(for: SlotKey(item: 0, model: 1))!
        XCTAssertTrue(settings.sample)
        XCTAssertEqual(settings.numBeams, 1)
        XCTAssertEqual(settings.numCaptions, 3)
        XCTAssertEqual(settings.topP, 0.9, accuracy: 1e-6)
        XCTAssertEqual(s.settings(for: SlotKey(item: 0, model: 0)), DecodingSettings(), "only the focused model changes")
        XCTAssertEqual(s.forced, [SlotKey(item: 0, model: 1)])
    }

    /// Issue 14, item 7: r's settings silently stayed for every later face.
    func testRegenerateAppliesToThisFaceOnlyAndShowsItAndDResets() {
        var s = Fixtures.state()
        _ = s.handle(.char("r"), layout: layout)
        _ = s.handle(.char("j"), layout: layout)      // beams field
        _ = s.handle(.char("l"), layout: layout)
        _ = s.handle(.char("l"), layout: layout)      // 3 beams
        _ = s.handle(.enter, layout: layout)
        XCTAssertEqual(s.settings(for: SlotKey(item: 0, model: 0))?.numBeams, 3)
        XCTAssertEqual(s.settings[0], DecodingSettings(), "the model's defaults are untouched")
        _ = s.handle(.char("j"), layout: layout)
        XCTAssertEqual(s.settings(for: SlotKey(item: 1, model: 0)), DecodingSettings(), "the next face uses the defaults")
        XCTAssertEqual(CaptionPlanner.plan(s, lookahead: 0).jobs.first?.settings.numBeams, 1)
        _ = s.handle(.char("k"), layout: layout)
        var beam = DecodingSettings()
        beam.numBeams = 3
        s.slots[SlotKey(item: 0, model: 0)] = .done(Fixtures.outcome("beam caption", settings: beam))
        let canvas = GridCanvas(width: 100, height: 30)
        _ = ScreenPainter.paint(s, layout: layout, context: ScreenContext(datasetName: "d", themeName: "t", glyphs: .unicode,
            queue: (pending: 0, running: 0), actionUnitName: { _ in nil }, image: .loading), on: canvas)
        XCTAssertTrue(canvas.screen.contains("M0 [own settings]"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("beam 3 (this face"), canvas.screen)
        // The dialog opens on this face's settings; d puts back the model's own.
        _ = s.handle(.char("r"), layout: layout)
        guard case let .regenerate(dialog) = s.mode else { return XCTFail("dialog expected") }
        XCTAssertEqual(dialog.beams, 3)
        _ = s.handle(.char("d"), layout: layout)
        _ = s.handle(.enter, layout: layout)
        XCTAssertTrue(s.faceSettings.isEmpty)
        XCTAssertEqual(s.settings(for: SlotKey(item: 0, model: 0)), DecodingSettings())
    }

    func testBeamDialogNeverAsksMoreCaptionsThanBeams() {
        var d = RegenerateDialog(from: DecodingSettings())
        d.field = .captions
        d.change(by: 1)
        XCTAssertEqual(d.captions, 1, "greedy keeps one beam, so one caption")
        d.field = .width
        d.change(by: 3)
        d.field = .captions
        d.change(by: 3)
        XCTAssertEqual(d.settings(from: DecodingSettings()).numBeams, 4)
        XCTAssertEqual(d.settings(from: DecodingSettings()).numCaptions, 4)
    }

    func testThemeCyclesAndHelpCloses() {
        var s = Fixtures.state()
        _ = s.handle(.char("t"), layout: layout)
        _ = s.handle(.char("t"), layout: layout)
        _ = s.handle(.char("t"), layout: layout)
        XCTAssertEqual(s.themeIndex, 0)
        _ = s.handle(.char("?"), layout: layout)
        XCTAssertEqual(s.mode, .help)
        XCTAssertEqual(s.handle(.char("q"), layout: layout), [], "q closes help, does not quit")
        XCTAssertEqual(s.handle(.char("q"), layout: layout), [.quit])
    }

    func testWorkerEventsDriveSlots() {
        var s = Fixtures.state()
        let key = SlotKey(item: 0, model: 0)
        s.queued = [key]
        _ = s.apply(.started(key))
        XCTAssertFalse(s.queued.contains(key))
        _ = s.apply(.progress(key, .decoding(step: 3, maxSteps: 20, partial: "a b c")))
        XCTAssertEqual(CaptionPaneView.statusText(s, model: 0).0, "token 3/20")
        XCTAssertTrue(s.apply(.cancelled(key, byUser: true)))
        XCTAssertTrue(s.cancelled.contains(key))
        _ = s.handle(.char("j"), layout: layout)
        XCTAssertTrue(s.cancelled.isEmpty, "moving on forgets Esc")
        _ = s.apply(.finished(key, Fixtures.outcome("x")))
        XCTAssertNotNil(s.outcome(key))
        XCTAssertFalse(s.isCaptioned(0), "one of two models")
        _ = s.apply(.finished(SlotKey(item: 0, model: 1), Fixtures.outcome("y")))
        XCTAssertTrue(s.isCaptioned(0))
    }
}
