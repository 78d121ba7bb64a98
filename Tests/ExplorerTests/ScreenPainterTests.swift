import Faces
import Captioning
import XCTest
@testable import Explorer

final class ScreenPainterTests: XCTestCase {
    func context(_ image: ScreenContext.FaceImage = .loading) -> ScreenContext {
        ScreenContext(datasetName: "tiny", themeName: "dark", glyphs: .unicode, queue: (pending: 1, running: 2),
                      actionUnitName: { $0 == 12 ? "lip corner puller" : nil }, image: image)
    }

    func testFullScreenAt80x24() {
        var s = Fixtures.state(models: 2)
        let caption = "Raised cheeks show anger clearly"
        var highlights = CaptionHighlights(spans: [HighlightSpan(kind: .disagreeingEmotion, range: caption.range(of: "anger")!)],
                                           disagreeingEmotions: ["anger"])
        highlights.spans.append(HighlightSpan(kind: .action, range: caption.range(of: "Raised cheeks")!))
        var outcome = Fixtures.outcome(caption)
        outcome.highlights = [highlights]
        outcome.fromCache = true
        s.slots[SlotKey(item: 0, model: 0)] = .done(outcome)
        s.slots[SlotKey(item: 0, model: 1)] = .running(.decoding(step: 2, maxSteps: 20, partial: "a smiling"))
        let layout = ScreenLayout.compute(width: 80, height: 24, modelCount: 2, focusedPane: 0)
        let canvas = GridCanvas(width: 80, height: 24)
        let image = HalfBlockRenderer.render(RGBImage(width: 4, height: 4, pixels: Array(repeating: 200, count: 48)),
                                             boxColumns: layout.image.width, boxRows: layout.image.height, mode: .palette256)!
        let placement = ScreenPainter.paint(s, layout: layout, context: context(.ready(image)), on: canvas)
        let screen = canvas.screen
        XCTAssertNotNil(placement)
        XCTAssertEqual(placement?.column, layout.image.x + image.offsetX)
        for expected in ["M0", "M1", "cache 30ms", "token 2/20", "a smiling", "emotion: happiness", "AU12 lip corner puller",
                         "≠ happiness", "happiness_0.png", "1/6 faces", "captioned 0/6", "running 2, waiting 1"] {
            XCTAssertTrue(screen.contains(expected), "missing \(expected) in\n\(screen)")
        }
        XCTAssertEqual(canvas.role(of: "anger"), .disagree)
        XCTAssertEqual(canvas.role(of: "Raised cheeks"), .action)
        let title = String(canvas.lines[layout.panes[0].y].dropFirst(layout.panes[0].x))
        let mark = layout.panes[0].x + title.distance(from: title.startIndex, to: title.range(of: "≠ happiness")!.lowerBound)
        XCTAssertEqual(canvas.roles[layout.panes[0].y][mark], .markDisagree)
        // The face's box is left blank for the terminal layer.
        let row = canvas.lines[layout.image.y + 2]
        XCTAssertEqual(String(Array(row)[layout.image.x..<layout.image.maxX]).trimmingCharacters(in: .whitespaces), "")
        // The list marks the disagreeing face.
        XCTAssertTrue(canvas.lines[layout.list.y].hasPrefix("  ≠"), canvas.lines[layout.list.y])
    }

    func testEnterShowsTheWholeCaptionThePaneCuts() {
        var s = Fixtures.state(models: 2)
        let words = (1...60).map { "word\($0)" }.joined(separator: " ")
        let caption = "The raised cheeks show gleefulness. " + words + " THE-END"
        var outcome = Fixtures.outcome(caption)
        outcome.highlights = [CaptionHighlights(spans: [HighlightSpan(kind: .emotion, range: caption.range(of: "gleefulness")!)])]
        s.slots[SlotKey(item: 0, model: 0)] = .done(outcome)
        let layout = ScreenLayout.compute(width: 80, height: 24, modelCount: 2, focusedPane: 0)
        var canvas = GridCanvas(width: 80, height: 24)
        _ = ScreenPainter.paint(s, layout: layout, context: context(), on: canvas)
        XCTAssertFalse(canvas.screen.contains("THE-END"), "the pane cuts a long caption")
        XCTAssertEqual(s.handle(.enter, layout: layout), [])
        XCTAssertEqual(s.mode, .fullCaption)
        canvas = GridCanvas(width: 80, height: 24)
        let face = TerminalImage(columns: 2, rows: 1, offsetX: 0, offsetY: 0, mode: .trueColor,
                                 cells: Array(repeating: ImageCell(glyph: "▀", foreground: RGB(1, 2, 3), background: RGB(4, 5, 6)), count: 2))
        XCTAssertNotNil(ScreenPainter.paint(s, layout: layout, context: context(.ready(face)), on: canvas),
                        "the caption is read beside the face (which shows each word's map)")
        XCTAssertEqual(canvas.role(of: "gleefulness"), .emotion)
        // The view follows the word cursor to the end of the caption.
        s.slots[SlotKey(item: 0, model: 0)] = .done(Self.withWords(outcome, caption))
        _ = s.handle(.char("G"), layout: layout)
        XCTAssertEqual(s.mode, .fullCaption)
        canvas = GridCanvas(width: 80, height: 24)
        _ = ScreenPainter.paint(s, layout: layout, context: context(), on: canvas)
        XCTAssertTrue(canvas.screen.contains("THE-END"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("word60"), canvas.screen)
        XCTAssertEqual(canvas.role(of: "THE-END"), .selection, "the current word is marked")
        _ = s.handle(.char("x"), layout: layout)
        XCTAssertEqual(s.mode, .normal, "any key closes")
        s.focusedPane = 1
        _ = s.handle(.enter, layout: layout)
        XCTAssertEqual(s.mode, .normal, "nothing to read in a pane without a caption")
    }

    /// An outcome whose words are known (one token per word), as the workers make them.
    static func withWords(_ outcome: CaptionOutcome, _ caption: String) -> CaptionOutcome {
        var o = outcome
        let pieces = caption.split(separator: " ").enumerated().map { ($0.offset == 0 ? "" : " ") + $0.element }
        o.words = [CaptionWords.align(caption: caption, pieces: pieces)]
        return o
    }

    func testTooSmallShowsOnlyTheMessage() {
        let canvas = GridCanvas(width: 60, height: 20)
        let layout = ScreenLayout.compute(width: 60, height: 20, modelCount: 2, focusedPane: 0)
        XCTAssertNil(ScreenPainter.paint(Fixtures.state(), layout: layout, context: context(), on: canvas))
        XCTAssertTrue(canvas.screen.contains("enlarge the terminal to at least 80x24"), canvas.screen)
        XCTAssertFalse(canvas.screen.contains("M0"))
    }

    func testDialogsHideTheFaceAndFailedModelsShowTheirError() {
        var s = ExplorerState(items: Fixtures.items(), models: [.loaded(ScriptedCaptioner(name: "Good")),
                                                              .failed(name: "Broken", error: "missing model.safetensors")])
        let layout = ScreenLayout.compute(width: 100, height: 30, modelCount: 2, focusedPane: 0)
        let canvas = GridCanvas(width: 100, height: 30)
        _ = ScreenPainter.paint(s, layout: layout, context: context(), on: canvas)
        XCTAssertTrue(canvas.screen.contains("failed to load: missing"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("loading face"))
        _ = s.handle(.char("?"), layout: layout)
        let image = HalfBlockRenderer.render(RGBImage(width: 2, height: 2, pixels: Array(repeating: 9, count: 12)),
                                             boxColumns: 10, boxRows: 5, mode: .trueColor)!
        XCTAssertNil(ScreenPainter.paint(s, layout: layout, context: context(.ready(image)), on: canvas))
        XCTAssertTrue(canvas.screen.contains("Keys (any key closes)"))
    }
}
