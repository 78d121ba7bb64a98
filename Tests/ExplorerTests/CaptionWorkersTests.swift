import CaptionStore
import Captioning
import Faces
import XCTest
@testable import Explorer
@testable import TerminalUI
import TerminalTesting

extension XCTestCase {
    /// The workers' events until `done` says enough (or the timeout passes).
    func collect(_ inbox: EventInbox, until done: ([WorkerEvent]) -> Bool, timeout: TimeInterval = 5) -> [WorkerEvent] {
        var events: [WorkerEvent] = []
        let deadline = Date().addingTimeInterval(timeout)
        while !done(events) && Date() < deadline {
            events += inbox.drain()
            usleep(2000)
        }
        return events
    }
}

final class CaptionWorkersTests: XCTestCase {
    func finished(_ events: [WorkerEvent]) -> [CaptionOutcome] {
        events.compactMap { if case let .finished(_, o) = $0 { return o }; return nil }
    }

    func testRunsThenServesFromCacheWithAnalysis() {
        let captioner = ScriptedCaptioner(name: "M")
        let items = Fixtures.items()
        let dataset = ExplorerDataset(name: "t", items: items) { _ in RGBImage(width: 3, height: 2, pixels: Array(repeating: 0, count: 18)) }
        let inbox = EventInbox(), queue = CaptionJobQueue()
        let cacheFile = FileManager.default.temporaryDirectory.appendingPathComponent("workers-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: cacheFile) }
        let cache = try! CaptionCache(path: cacheFile.path)
        let services = ExplorerServices(captioning: CachedCaptioning(cache: cache) { _ in XCTFail("the image store decodes"); throw TestCancelled() },
                                        analyzer: { caption, truth in
            CaptionHighlights(disagreeingEmotions: truth?.emotion == "happiness" ? [] : ["x"])
        })
        let workers = CaptionWorkers(queue: queue, inbox: inbox, images: ImageStore(dataset: dataset, inbox: inbox), dataset: dataset,
                                     models: [.loaded(captioner)], services: services)
        workers.start(count: 2)
        defer { workers.stop() }
        let job = CaptionJob(key: SlotKey(item: 0, model: 0), settings: DecodingSettings(), force: false, cacheOnly: false)
        queue.replacePlan(CaptionPlan(jobs: [job], window: [job.key]))
        let first = collect(inbox) { self.finished($0).count == 1 }
        XCTAssertEqual(finished(first).first?.result.captions, ["M sees a face of width 3"])
        XCTAssertEqual(finished(first).first?.fromCache, false)
        XCTAssertEqual(finished(first).first?.disagrees, false)
        XCTAssertTrue(first.contains { if case .progress(_, .decoding(step: 2, _, _)) = $0 { return true }; return false })
        queue.replacePlan(CaptionPlan(jobs: [job], window: [job.key]))
        let second = collect(inbox) { self.finished($0).count == 1 }
        XCTAssertEqual(finished(second).first?.fromCache, true)
        XCTAssertEqual(captioner.runs, 1, "the revisit came from the cache")
        // Forced runs skip the cache; cache-only jobs never run the model.
        var forced = job
        forced.force = true
        // (The fixture faces share their pixels, so only other settings make this lookup a miss.)
        var beams = DecodingSettings()
        beams.numBeams = 3
        let other = CaptionJob(key: SlotKey(item: 1, model: 0), settings: beams, force: false, cacheOnly: true)
        queue.replacePlan(CaptionPlan(jobs: [forced, other], window: [job.key]))
        let third = collect(inbox) { events in self.finished(events).count == 1 && events.contains { if case .cacheMiss = $0 { return true }; return false } }
        XCTAssertEqual(finished(third).count, 1)
        XCTAssertEqual(captioner.runs, 2)
        // One lookup-or-run with caption --dataset: the cache row names the model (it was stored empty).
        let names = try! cache.modelNames()
        XCTAssertEqual(names, ["M"])
    }

    func testCancellationStopsARunningCaption() {
        // 60 tokens of 50 ms: a caption that ran to its end would take 3 s, far from the 0.5 s allowed, even
        // on a loaded machine where the cancel lands late.
        let captioner = ScriptedCaptioner(name: "Slow", tokenDelay: 50_000, extraWords: 53)
        let dataset = ExplorerDataset(name: "t", items: Fixtures.items()) { _ in RGBImage(width: 1, height: 1, pixels: [0, 0, 0]) }
        let inbox = EventInbox(), queue = CaptionJobQueue()
        let workers = CaptionWorkers(queue: queue, inbox: inbox, images: ImageStore(dataset: dataset, inbox: inbox), dataset: dataset,
                                     models: [.loaded(captioner)], services: ExplorerServices())
        workers.start(count: 1)
        defer { workers.stop() }
        let job = CaptionJob(key: SlotKey(item: 0, model: 0), settings: DecodingSettings(), force: false, cacheOnly: false)
        queue.replacePlan(CaptionPlan(jobs: [job], window: [job.key]))
        _ = collect(inbox) { $0.contains { if case .started = $0 { return true }; return false } }
        let start = Date()
        queue.cancelAll()
        let events = collect(inbox) { $0.contains { if case .cancelled = $0 { return true }; return false } }
        XCTAssertTrue(events.contains { if case .cancelled(_, byUser: true) = $0 { return true }; return false })
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5, "stops at the next token, not at the end")
        XCTAssertTrue(finished(events).isEmpty)
    }

    func testImageLoadFailureIsReportedPerFace() {
        let dataset = ExplorerDataset(name: "t", items: Fixtures.items()) { item in throw InputErrorStub(item.id) }
        let inbox = EventInbox(), queue = CaptionJobQueue()
        let workers = CaptionWorkers(queue: queue, inbox: inbox, images: ImageStore(dataset: dataset, inbox: inbox), dataset: dataset,
                                     models: [.loaded(ScriptedCaptioner(name: "M"))], services: ExplorerServices())
        workers.start(count: 1)
        defer { workers.stop() }
        let job = CaptionJob(key: SlotKey(item: 2, model: 0), settings: DecodingSettings(), force: false, cacheOnly: false)
        queue.replacePlan(CaptionPlan(jobs: [job], window: [job.key]))
        let events = collect(inbox) { $0.contains { if case .failed = $0 { return true }; return false } }
        XCTAssertTrue(events.contains { if case let .failed(_, message) = $0 { return message.contains("set/anger_2.png") }; return false })
    }
}

struct InputErrorStub: Error, CustomStringConvertible {
    let path: String
    init(_ path: String) { self.path = path }
    var description: String { "\(path): not a PNG" }
}

/// The workers' part in the "why" instruments: occluded faces through the cache under their pixels'
/// hash, attention asked of a captioner that cannot record it not asked again.
final class CaptionWorkersWhyTests: XCTestCase {

    func testOccludedFacesAreCachedApartAndAttentionIsAskedOnce() {
        let captioner = ScriptedCaptioner(name: "M")
        let face = RGBImage(width: 4, height: 4, pixels: Array(repeating: 200, count: 48))
        let dataset = ExplorerDataset(name: "t", items: Fixtures.items()) { _ in face }
        let inbox = EventInbox(), queue = CaptionJobQueue()
        let cacheFile = FileManager.default.temporaryDirectory.appendingPathComponent("workers-why-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: cacheFile) }
        let cache = try! CaptionCache(path: cacheFile.path)
        let services = ExplorerServices(captioning: CachedCaptioning(cache: cache) { _ in XCTFail("the image store decodes"); throw TestCancelled() },
                                        analyzer: { _, _ in CaptionHighlights() })
        let workers = CaptionWorkers(queue: queue, inbox: inbox, images: ImageStore(dataset: dataset, inbox: inbox), dataset: dataset,
                                     models: [.loaded(captioner)], services: services)
        workers.start(count: 1)
        defer { workers.stop() }
        func run(_ job: CaptionJob) -> CaptionOutcome? {
            queue.replacePlan(CaptionPlan(jobs: [job], window: [job.key]))
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                for event in inbox.drain() { if case let .finished(_, o) = event { return o } }
                usleep(2000)
            }
            return nil
        }
        let plain = CaptionJob(key: SlotKey(item: 0, model: 0), settings: DecodingSettings(), force: false, cacheOnly: false)
        let lower = CaptionJob(key: SlotKey(item: 0, model: 0, occlusion: .lower), settings: DecodingSettings(), force: false, cacheOnly: false)
        XCTAssertEqual(run(plain)?.fromCache, false)
        var lowerLookup = lower
        lowerLookup.cacheOnly = true
        queue.replacePlan(CaptionPlan(jobs: [lowerLookup], window: [lower.key]))
        XCTAssertTrue(collect(inbox) { $0.contains { if case .cacheMiss = $0 { return true }; return false } }
            .contains { if case .cacheMiss(lower.key) = $0 { return true }; return false },
                      "a lookup of the occluded face does not find the plain face's row")
        XCTAssertEqual(run(lower)?.fromCache, false, "the occluded face is another image")
        XCTAssertEqual(run(lower)?.fromCache, true, "and is cached under its own hash")
        XCTAssertEqual(run(lowerLookup)?.fromCache, true, "which a cache-only lookup finds too")
        XCTAssertEqual(captioner.runs, 2)
        XCTAssertEqual(try! cache.count, 2, "one row for the face, one for its occluded pixels")
        XCTAssertEqual(try! cache.modelNames(), ["M"], "occluded rows name their model too")
        // A captioner that cannot record attention is asked once; the planner then leaves it alone.
        var attention = plain
        attention.recordAttention = true
        let asked = run(attention)
        XCTAssertEqual(asked?.attentionAsked, true)
        XCTAssertNil(asked?.result.attention)
        var state = Fixtures.state(models: 1)
        state.showAttention = true
        state.slots[plain.key] = .done(asked!)
        XCTAssertFalse(CaptionPlanner.plan(state, lookahead: 0).jobs.contains { $0.key == plain.key && !$0.cacheOnly })
        XCTAssertTrue(state.attentionUnavailable)
        XCTAssertFalse(state.attentionPending)
    }
}
