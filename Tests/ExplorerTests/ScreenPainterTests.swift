import Faces
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
                         "says anger ≠ truth", "happiness_0.png", "1/6 faces", "captioned 0/6", "running 2, waiting 1"] {
            XCTAssertTrue(screen.contains(expected), "missing \(expected) in\n\(screen)")
        }
        XCTAssertEqual(canvas.role(of: "anger"), .disagree)
        XCTAssertEqual(canvas.role(of: "Raised cheeks"), .action)
        let title = String(canvas.lines[layout.panes[0].y].dropFirst(layout.panes[0].x))
        let mark = layout.panes[0].x + title.distance(from: title.startIndex, to: title.range(of: "M0 ≠")!.lowerBound) + 3
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
        var seen = ""
        for _ in 0..<20 {
            canvas = GridCanvas(width: 80, height: 24)
            _ = ScreenPainter.paint(s, layout: layout, context: context(), on: canvas)
            if seen.isEmpty { XCTAssertEqual(canvas.role(of: "gleefulness"), .emotion) }
            seen += canvas.screen
            _ = s.handle(.char("j"), layout: layout)
            XCTAssertEqual(s.mode, .fullCaption, "j scrolls a caption longer than the box")
        }
        XCTAssertTrue(seen.contains("THE-END"), seen)
        XCTAssertTrue(seen.contains("word60"), seen)
        _ = s.handle(.char("x"), layout: layout)
        XCTAssertEqual(s.mode, .normal, "any key closes")
        s.focusedPane = 1
        _ = s.handle(.enter, layout: layout)
        XCTAssertEqual(s.mode, .normal, "nothing to read in a pane without a caption")
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

/// Issue 14, item 6: at 80x24 a disagreement read "≠ sadness" (the ground truth, looking like the
/// model's answer), and "sadness and anger" on a sadness face had no mark at all.
final class VerdictMarkTests: XCTestCase {
    func outcome(_ caption: String, named: [String], wrong: [String], verdict: EmotionVerdict) -> CaptionOutcome {
        var o = Fixtures.outcome(caption)
        o.highlights = [CaptionHighlights(namedEmotions: named, disagreeingEmotions: wrong, verdict: verdict)]
        return o
    }

    func paint(_ s: ExplorerState, width: Int = 80, height: Int = 24) -> GridCanvas {
        let layout = ScreenLayout.compute(width: width, height: height, modelCount: s.modelNames.count, focusedPane: s.focusedPane)
        let canvas = GridCanvas(width: width, height: height)
        let context = ScreenContext(datasetName: "tiny", themeName: "dark", glyphs: .unicode, queue: (pending: 0, running: 0),
                                    actionUnitName: { _ in nil }, image: .loading)
        _ = ScreenPainter.paint(s, layout: layout, context: context, on: canvas)
        return canvas
    }

    func testPanesSayWhichEmotionIsTheModelsAndWhichTheTruth() {
        var s = Fixtures.state(models: 2)
        s.focusedPane = 1
        _ = s.handle(.char("j"), layout: Fixtures.layout)            // sadness_1.png
        s.slots[SlotKey(item: 1, model: 0)] = .done(outcome("The face shows fear.", named: ["fear"], wrong: ["fear"], verdict: .disagrees))
        s.slots[SlotKey(item: 1, model: 1)] = .done(outcome("The face expresses sadness and anger.", named: ["sadness", "anger"],
                                                            wrong: ["anger"], verdict: .partial))
        let canvas = paint(s)
        XCTAssertTrue(canvas.screen.contains("says fear ≠ truth sadness"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("says sadness, anger ≈"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("truth sadness"), canvas.screen)
        XCTAssertEqual(canvas.role(of: "fear ≠"), .disagree)
        XCTAssertTrue(canvas.screen.contains("M0 ≠"), canvas.screen)
        XCTAssertTrue(canvas.screen.contains("M1 ≈"), canvas.screen)
        // The list marks the worst verdict of the face.
        XCTAssertTrue(canvas.lines[2].hasPrefix("✓ ≠"), canvas.lines[2])
        s.slots[SlotKey(item: 1, model: 0)] = .done(outcome("The face shows sadness.", named: ["sadness"], wrong: [], verdict: .agrees))
        let agreed = paint(s)
        XCTAssertTrue(agreed.lines[2].hasPrefix("✓ ≈"), agreed.lines[2])
        XCTAssertFalse(agreed.screen.contains("says sadness ≠"), "an agreeing caption has no verdict line")
    }

    func testFiltersSeparateDisagreementFromPartialAgreement() {
        var s = Fixtures.state(models: 1)
        s.slots[SlotKey(item: 0, model: 0)] = .done(outcome("fear", named: ["fear"], wrong: ["fear"], verdict: .disagrees))
        s.slots[SlotKey(item: 1, model: 0)] = .done(outcome("sad, angry", named: ["sadness", "anger"], wrong: ["anger"], verdict: .partial))
        s.slots[SlotKey(item: 2, model: 0)] = .done(outcome("angry", named: ["anger"], wrong: [], verdict: .agrees))
        s.filter = .disagrees
        _ = s.refilter(layout: Fixtures.layout)
        XCTAssertEqual(s.visible, [0])
        s.filter = .partlyAgrees
        _ = s.refilter(layout: Fixtures.layout)
        XCTAssertEqual(s.visible, [1])
        XCTAssertTrue(FaceListFilter.choices(for: s.items).contains(.partlyAgrees))
    }
}

/// Issue 14, item 8: the full caption, filter and regenerate dialogs covered the face they talk about.
final class OverlayPlacementTests: XCTestCase {
    func testDialogsLeaveTheFaceOnScreenAtEverySize() {
        for (w, h) in [(80, 24), (100, 30), (160, 45)] {
            var s = Fixtures.state(models: 4)
            let long = Array(repeating: "the brows are lowered and the lips pressed", count: 12).joined(separator: ", ")
            for m in 0..<4 { s.slots[SlotKey(item: 0, model: m)] = .done(Fixtures.outcome(long)) }
            let layout = ScreenLayout.compute(width: w, height: h, modelCount: 4, focusedPane: 0)
            let image = HalfBlockRenderer.render(RGBImage(width: 8, height: 8, pixels: Array(repeating: 120, count: 192)),
                                                 boxColumns: layout.image.width, boxRows: layout.image.height, mode: .trueColor)!
            let context = ScreenContext(datasetName: "d", themeName: "t", glyphs: .unicode, queue: (pending: 0, running: 0),
                                        actionUnitName: { _ in nil }, image: .ready(image))
            for key in [KeyInput.enter, .char("f"), .char("r")] {
                var state = s
                _ = state.handle(key, layout: layout)
                XCTAssertNotEqual(state.mode, .normal, "\(key) opens a dialog")
                let canvas = GridCanvas(width: w, height: h)
                let placement = ScreenPainter.paint(state, layout: layout, context: context, on: canvas)
                XCTAssertNotNil(placement, "\(key) at \(w)x\(h): the face is still drawn")
                for y in layout.image.y..<layout.image.maxY {
                    let row = Array(canvas.lines[y])[layout.image.x..<layout.image.maxX]
                    XCTAssertTrue(row.allSatisfy { $0 == " " }, "\(key) at \(w)x\(h) wrote into the face's box:\n\(canvas.screen)")
                    XCTAssertFalse(canvas.roles[y][layout.image.x..<layout.image.maxX].contains(.dialog))
                }
            }
        }
    }
}
