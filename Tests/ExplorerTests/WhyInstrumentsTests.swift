import Captioning
import Faces
import XCTest
@testable import Explorer
@testable import TerminalUI

/// The explorer's "why" instruments as pure state and pixels: which jobs record attention, the
/// occlusion probe's keys and jobs, list order by confidence, word diffs and the heat overlay.
final class WhyInstrumentsTests: XCTestCase {
    let layout = Fixtures.layout

    func testAttentionIsRecordedForTheSelectedFaceOnlyWhileTheMapIsOn() {
        var s = Fixtures.state()
        for m in 0..<2 { s.slots[SlotKey(item: 0, model: m)] = .done(Fixtures.outcome("a face")) }
        XCTAssertTrue(CaptionPlanner.plan(s, lookahead: 1).jobs.filter { $0.key.item == 0 && !$0.cacheOnly }.isEmpty,
                      "captioned faces are not run again")
        XCTAssertEqual(s.handle(.char("a"), layout: layout), [.replan])
        XCTAssertTrue(s.attentionPending)
        let jobs = CaptionPlanner.plan(s, lookahead: 1).jobs.filter { !$0.cacheOnly }
        XCTAssertEqual(Set(jobs.filter { $0.key.item == 0 }.map(\.key.model)), [0, 1], "both panes of the selected face record")
        XCTAssertTrue(jobs.filter { $0.key.item == 0 }.allSatisfy(\.recordAttention))
        XCTAssertTrue(jobs.filter { $0.key.item != 0 }.allSatisfy { !$0.recordAttention }, "neighbours keep their speed")
        // Once recorded, nothing more runs and the map is shown.
        var recorded = Fixtures.outcome("a face")
        recorded.result.attention = CaptionAttention(gridRows: 1, gridColumns: 2, tokenMaps: [[[0.25, 0.75]]])
        for m in 0..<2 { s.slots[SlotKey(item: 0, model: m)] = .done(recorded) }
        XCTAssertFalse(s.attentionPending)
        XCTAssertTrue(CaptionPlanner.plan(s, lookahead: 1).jobs.filter { $0.key.item == 0 && !$0.cacheOnly }.isEmpty)
        XCTAssertEqual(s.shownMap()?.map, [0.25, 0.75])
        _ = s.handle(.char("a"), layout: layout)
        XCTAssertNil(s.shownMap(), "a again hides it")
    }

    func testFullCaptionWordCursorPicksTheWordsMap() {
        var s = Fixtures.state()
        var o = Fixtures.outcome("raised brows")
        o.result.attention = CaptionAttention(gridRows: 1, gridColumns: 2, tokenMaps: [[[1, 0], [0, 1], [0, 1]]])
        o.words = [CaptionWords.align(caption: "raised brows", pieces: ["raised", " br", "ows"])]
        s.slots[SlotKey(item: 0, model: 0)] = .done(o)
        _ = s.handle(.enter, layout: layout)
        XCTAssertEqual(s.shownMap()?.word, "raised")
        XCTAssertEqual(s.shownMap()?.map, [1, 0])
        _ = s.handle(.char("l"), layout: layout)
        XCTAssertEqual(s.shownMap()?.word, "brows")
        XCTAssertEqual(s.shownMap()?.map, [0, 1])
        _ = s.handle(.char("l"), layout: layout)
        XCTAssertEqual(s.wordCursor, 1, "stops at the last word")
        _ = s.handle(.char("q"), layout: layout)
        XCTAssertEqual(s.mode, .normal)
    }

    func testOcclusionProbeKeysJobsAndEsc() {
        var s = Fixtures.state()
        _ = s.handle(.char("o"), layout: layout)
        guard case var .occlusion(probe) = s.mode else { return XCTFail("o opens the probe") }
        XCTAssertEqual(probe.region, .upper)
        XCTAssertTrue(CaptionPlanner.plan(s, lookahead: 0).jobs.allSatisfy { $0.key.occlusion == nil }, "nothing runs before Enter")
        _ = s.handle(.char("2"), layout: layout)
        _ = s.handle(.enter, layout: layout)
        guard case let .occlusion(started) = s.mode else { return XCTFail() }
        XCTAssertTrue(started.started)
        let jobs = CaptionPlanner.plan(s, lookahead: 0).jobs
        XCTAssertEqual(jobs.prefix(2).map(\.key), [SlotKey(item: 0, model: 0, occlusion: .lower), SlotKey(item: 0, model: 1, occlusion: .lower)],
                       "the probe's captions come first, one per model")
        // Esc while they run stops them and keeps the probe open; Esc again closes.
        XCTAssertEqual(s.handle(.escape, layout: layout), [.cancelAll])
        XCTAssertTrue(s.cancelled.contains(SlotKey(item: 0, model: 1, occlusion: .lower)))
        XCTAssertEqual(s.handle(.escape, layout: layout), [.replan])
        XCTAssertEqual(s.mode, .normal)
        // The box moves and sizes in steps, inside the image.
        probe = OcclusionProbe()
        _ = probe.handle(.char("5"))
        for _ in 0..<30 { _ = probe.handle(.char("l")) }
        _ = probe.handle(.char("J"))
        let f = probe.region.fractions
        XCTAssertEqual(f.x + f.width, 1, accuracy: 1e-9)
        XCTAssertEqual(f.height, 0.35, accuracy: 1e-9)
    }

    func testListOrderPutsTheLeastSureFirst() {
        func result(_ p: [Double]) -> CaptionResult {
            CaptionResult(captions: ["x"], tokenIDs: [[1]], encodeMs: 0, decodeMs: 0, tokenLogprobs: [p.map { Float(log($0)) }])
        }
        let results: [Int: [CaptionResult]] = [0: [result([0.9, 0.9])], 1: [result([0.99, 0.1])], 2: [], 3: [result([0.5, 0.6])]]
        XCTAssertEqual(ListOrder.lowestConfidence.sorted([0, 1, 2, 3]) { results[$0]! }, [1, 3, 0, 2])
        XCTAssertEqual(ListOrder.meanConfidence.sorted([0, 1, 2, 3]) { results[$0]! }, [1, 3, 0, 2].sorted {
            ListOrder.meanConfidence.confidence(results[$0]!) ?? 9 < ListOrder.meanConfidence.confidence(results[$1]!) ?? 9 })
        XCTAssertEqual(ListOrder.meanConfidence.sorted([0, 1, 2, 3]) { results[$0]! }, [1, 3, 0, 2])
        XCTAssertEqual(ListOrder.dataset.sorted([3, 1]) { results[$0]! }, [3, 1])
    }

    func testWordDiffMarksWhatChanged() {
        let a = WordDiff.words("The face shows happiness."), b = WordDiff.words("The face shows contempt.")
        let d = WordDiff.changed(a, b)
        XCTAssertEqual(d.inA, [3])
        XCTAssertEqual(d.inB, [3])
        let same = WordDiff.changed(a, WordDiff.words("the face shows happiness"))
        XCTAssertTrue(same.inA.isEmpty && same.inB.isEmpty, "case and punctuation do not count")
        let h = WordDiff.highlights("The face shows contempt.", changed: d.inB)
        XCTAssertEqual(h.spans.count, 1)
        XCTAssertEqual(String("The face shows contempt."[h.spans[0].range]), "contempt.")
    }

    func testHeatOverlayWarmsTheHotHalfAndGreyMarksTheRegion() {
        let cell = ImageCell(glyph: "▀", foreground: RGB(100, 100, 100), background: RGB(100, 100, 100))
        let image = TerminalImage(columns: 2, rows: 1, offsetX: 0, offsetY: 0, mode: .trueColor, cells: [cell, cell])
        let heat = RGB(255, 0, 0)
        let out = HeatOverlay.blend(image, map: [0, 1], gridRows: 1, gridColumns: 2, heat: heat)
        XCTAssertEqual(out[0, 0].foreground, RGB(50, 50, 50), "cold: dimmed to half")
        XCTAssertGreaterThan(out[1, 0].foreground!.r, 150, "hot: toward the heat colour")
        XCTAssertLessThan(out[1, 0].foreground!.g, 50)
        let greyed = HeatOverlay.grey(image, region: .left)
        XCTAssertEqual(greyed[0, 0].foreground, RGB(Occlusion.grey, Occlusion.grey, Occlusion.grey))
        XCTAssertEqual(greyed[1, 0], cell)
    }

    /// A kitty/iTerm2/sixel face has no cells to recolour: the overlays leave it as it is (they
    /// indexed its empty cell list before), and the explorer draws cells while an overlay shows.
    func testOverlaysLeaveAPixelFaceAloneAndSayWhenTheyShow() {
        let graphic = EncodedGraphic(bytes: [1, 2, 3], pixelWidth: 20, pixelHeight: 40, serial: 7)
        let pixels = TerminalImage(columns: 2, rows: 2, offsetX: 0, offsetY: 0, mode: .kitty, cells: [], graphic: graphic)
        XCTAssertEqual(HeatOverlay.blend(pixels, map: [0, 1], gridRows: 1, gridColumns: 2, heat: RGB(255, 0, 0)), pixels)
        XCTAssertEqual(HeatOverlay.grey(pixels, region: .left), pixels)

        var s = Fixtures.state()
        XCTAssertFalse(FaceOverlay.isShown(s))
        _ = s.handle(.char("o"), layout: layout)
        XCTAssertTrue(FaceOverlay.isShown(s), "the probe greys its region over the face")
    }
}

final class ConfidenceFilterTests: XCTestCase {
    func testUnsureFilterKeepsFacesWithAWordBelowOneHalf() {
        var s = Fixtures.state(models: 1)
        func outcome(_ p: [Double]) -> CaptionOutcome {
            var o = Fixtures.outcome("a face")
            o.result.tokenLogprobs = [p.map { Float(log($0)) }]
            return o
        }
        s.slots[SlotKey(item: 0, model: 0)] = .done(outcome([0.9, 0.95]))
        s.slots[SlotKey(item: 1, model: 0)] = .done(outcome([0.9, 0.3]))
        s.slots[SlotKey(item: 2, model: 0)] = .done(Fixtures.outcome("cached before log-probs"))
        XCTAssertTrue(FaceListFilter.choices(for: s.items).contains(.unsure))
        s.filter = .unsure
        _ = s.refilter(layout: Fixtures.layout)
        XCTAssertEqual(s.visible, [1])
        XCTAssertTrue(s.listDependsOnCaptions)
    }
}
