import Captioning
import XCTest
@testable import Explorer

final class CaptionPlannerTests: XCTestCase {
    func testSelectedFirstFocusedModelFirstThenNeighboursThenCacheScan() {
        var s = Fixtures.state(models: 2)
        _ = s.handle(.char("j"), layout: Fixtures.layout)
        _ = s.handle(.char("j"), layout: Fixtures.layout)   // cursor 2
        _ = s.handle(.tab, layout: Fixtures.layout)          // focus model 1
        let plan = CaptionPlanner.plan(s, lookahead: 1)
        let real = plan.jobs.filter { !$0.cacheOnly }.map { [$0.key.item, $0.key.model] }
        XCTAssertEqual(real, [[2, 1], [2, 0], [3, 1], [3, 0], [1, 1], [1, 0]])
        let scanned = plan.jobs.filter(\.cacheOnly).map(\.key.item)
        XCTAssertEqual(Set(scanned), [0, 4, 5], "the rest is only looked up in the cache")
        XCTAssertEqual(plan.window.count, 6)
    }

    func testDoneCancelledAndFailedSlotsAreNotRunAgain() {
        var s = Fixtures.state(models: 2)
        s.slots[SlotKey(item: 0, model: 0)] = .done(Fixtures.outcome("x"))
        s.slots[SlotKey(item: 0, model: 1)] = .failed("boom")
        s.cancelled = [SlotKey(item: 1, model: 0)]
        let keys = CaptionPlanner.plan(s, lookahead: 1).jobs.filter { !$0.cacheOnly }.map(\.key)
        XCTAssertEqual(keys, [SlotKey(item: 1, model: 1)])
    }

    func testNewSettingsOrForceRunAgain() {
        var s = Fixtures.state(models: 1)
        let key = SlotKey(item: 0, model: 0)
        s.slots[key] = .done(Fixtures.outcome("x"))
        XCTAssertTrue(CaptionPlanner.plan(s, lookahead: 0).jobs.allSatisfy(\.cacheOnly), "done with these settings")
        s.forced = [key]
        XCTAssertEqual(CaptionPlanner.plan(s, lookahead: 0).jobs.first, CaptionJob(key: key, settings: DecodingSettings(), force: true, cacheOnly: false))
        s.forced = []
        var beam = DecodingSettings()
        beam.numBeams = 5
        s.settings[0] = beam
        XCTAssertEqual(CaptionPlanner.plan(s, lookahead: 0).jobs.first?.settings.numBeams, 5)
    }

    func testFailedModelsAreNeverPlanned() {
        let s = ExplorerState(items: Fixtures.items(), models: [.failed(name: "Broken", error: "no weights")])
        XCTAssertTrue(CaptionPlanner.plan(s, lookahead: 3).jobs.isEmpty)
    }

    func testQueueCancelsRunningJobsOutsideTheWindowOnly() {
        let queue = CaptionJobQueue()
        let a = CaptionJob(key: SlotKey(item: 0, model: 0), settings: DecodingSettings(), force: false, cacheOnly: false)
        let b = CaptionJob(key: SlotKey(item: 1, model: 0), settings: DecodingSettings(), force: false, cacheOnly: false)
        queue.replacePlan(CaptionPlan(jobs: [a, b], window: [a.key, b.key]))
        let (first, tokenA) = queue.next()!
        let (_, tokenB) = queue.next()!
        XCTAssertEqual(first, a)
        XCTAssertEqual(queue.counts.running, 2)
        // The selection moved: b's face is still in the window, a's is not.
        let waiting = queue.replacePlan(CaptionPlan(jobs: [], window: [b.key]))
        XCTAssertTrue(waiting.isEmpty)
        XCTAssertTrue(tokenA.isCancelled)
        XCTAssertFalse(tokenA.cancelledByUser)
        XCTAssertFalse(tokenB.isCancelled)
        queue.cancelAll()
        XCTAssertTrue(tokenB.cancelledByUser)
        queue.close()
        XCTAssertNil(queue.next())
    }
}

/// Issue 14, item 5: filters and search saw only the faces that happened to be captioned and said
/// "1/1 faces of 59" as if all were checked. `C` captions every face in the background.
final class CaptionAllTests: XCTestCase {
    let layout = Fixtures.layout

    func testCaptionAllPlansEveryFaceTheCacheLacksAndKeepsItWhenTheSelectionMoves() {
        var s = Fixtures.state(models: 2)
        for item in 0..<6 { for m in 0..<2 { s.slots[SlotKey(item: item, model: m)] = .absent } }
        s.slots[SlotKey(item: 5, model: 1)] = .done(Fixtures.outcome("x"))
        XCTAssertEqual(CaptionPlanner.plan(s, lookahead: 1).jobs.filter { !$0.cacheOnly }.count, 4, "only around the selection")
        XCTAssertEqual(s.handle(.char("C"), layout: layout), [.replan])
        XCTAssertTrue(s.captionAll)
        let plan = CaptionPlanner.plan(s, lookahead: 1)
        let real = plan.jobs.filter { !$0.cacheOnly }.map(\.key)
        XCTAssertEqual(real.count, 11, "every face and model but the one cached")
        XCTAssertEqual(Array(real.prefix(4)).map(\.item), [0, 0, 1, 1], "the selection and its neighbours first")
        XCTAssertFalse(real.contains(SlotKey(item: 5, model: 1)))
        XCTAssertTrue(Set(real).isSubset(of: plan.window), "background jobs are not cancelled when the selection moves")
        // A filter hides faces from the list, not from the background run.
        s.filter = .emotion("sadness")
        _ = s.refilter(layout: layout)
        XCTAssertEqual(CaptionPlanner.plan(s, lookahead: 1).jobs.filter { !$0.cacheOnly }.count, 11)
        // Esc stops it.
        s.queued = Set(real)
        XCTAssertEqual(s.handle(.escape, layout: layout), [.cancelAll])
        XCTAssertFalse(s.captionAll)
    }

    func testCacheLookupsCoverFacesTheFilterHides() {
        var s = Fixtures.state(models: 1)
        s.filter = .emotion("fear")
        _ = s.refilter(layout: layout)
        XCTAssertEqual(s.visible, [4])
        let scanned = CaptionPlanner.plan(s, lookahead: 0).jobs.filter(\.cacheOnly).map(\.key.item)
        XCTAssertEqual(scanned, [0, 1, 2, 3, 5], "hidden faces are looked up too, so a later caption filter sees them")
    }

    func testACaptionFilterSaysHowManyFacesItCouldNotCheck() {
        var s = Fixtures.state(models: 2)
        s.slots[SlotKey(item: 0, model: 0)] = .done(Fixtures.outcome("x", disagree: true))
        s.slots[SlotKey(item: 0, model: 1)] = .done(Fixtures.outcome("y"))
        s.filter = .disagrees
        _ = s.refilter(layout: layout)
        XCTAssertEqual(s.uncaptionedCount, 5)
        let canvas = GridCanvas(width: 100, height: 30)
        let context = ScreenContext(datasetName: "tiny", themeName: "dark", glyphs: .unicode, queue: (pending: 0, running: 0),
                                    actionUnitName: { _ in nil }, image: .loading)
        _ = ScreenPainter.paint(s, layout: layout, context: context, on: canvas)
        XCTAssertTrue(canvas.lines[0].contains("1/1 faces of 6"), canvas.lines[0])
        XCTAssertTrue(canvas.lines[0].contains("5 not captioned yet (C)"), canvas.lines[0])
        _ = s.handle(.char("f"), layout: layout)
        let menu = GridCanvas(width: 100, height: 30)
        _ = ScreenPainter.paint(s, layout: layout, context: context, on: menu)
        XCTAssertTrue(menu.screen.contains("5 not captioned yet (C captions all)"), menu.screen)
    }

    func testStatusBarKeepsTheQueueReadableBesideTheHints() {
        let s = Fixtures.state(models: 2)
        let layout80 = ScreenLayout.compute(width: 80, height: 24, modelCount: 2, focusedPane: 0)
        let canvas = GridCanvas(width: 80, height: 24)
        let context = ScreenContext(datasetName: "SampleFaces", themeName: "dark", glyphs: .unicode,
                                    queue: (pending: 167, running: 2), actionUnitName: { _ in nil }, image: .loading)
        _ = ScreenPainter.paint(s, layout: layout80, context: context, on: canvas)
        let status = canvas.lines[23]
        XCTAssertTrue(status.hasSuffix("? help  q quit "), status)
        XCTAssertTrue(status.contains("running 2, waiting 167"), status)
    }
}
