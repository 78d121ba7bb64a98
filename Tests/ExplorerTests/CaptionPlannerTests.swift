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
