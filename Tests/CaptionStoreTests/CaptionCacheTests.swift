import Captioning
import Foundation
import Tensor
import XCTest
@testable import CaptionStore

final class CaptionCacheTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-cache-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func cache(_ name: String = "captions.sqlite") throws -> CaptionCache {
        try CaptionCache(path: folder.appendingPathComponent("sub/\(name)").path)
    }

    private func result(_ text: String) -> CaptionResult {
        CaptionResult(captions: [text, text + " (2)"], tokenIDs: [[2, 100, 50118], [7]], encodeMs: 12.5, decodeMs: 80)
    }

    func testRoundTripAndReopen() throws {
        let settings = DecodingSettings()
        do {
            let cache = try cache()
            XCTAssertNil(try cache.lookup(model: "m1", imageHash: "h1", settings: settings))
            try cache.store(result("The face shows happiness."), model: "m1", modelName: "Exp-BLIP",
                            imageHash: "h1", imageID: "happy/1.png", settings: settings)
            XCTAssertEqual(try cache.lookup(model: "m1", imageHash: "h1", settings: settings),
                           result("The face shows happiness."))
            XCTAssertEqual(try cache.count, 1)
        }
        let reopened = try cache()
        XCTAssertEqual(try reopened.lookup(model: "m1", imageHash: "h1", settings: settings)?.captions.first,
                       "The face shows happiness.")
        XCTAssertNil(try reopened.lookup(model: "m2", imageHash: "h1", settings: settings), "other model")
        XCTAssertNil(try reopened.lookup(model: "m1", imageHash: "h2", settings: settings), "other image")
    }

    func testStoringTheSameKeyReplaces() throws {
        let cache = try cache()
        try cache.store(result("old"), model: "m", modelName: "M", imageHash: "h", imageID: "a", settings: .init())
        try cache.store(result("new"), model: "m", modelName: "M", imageHash: "h", imageID: "a", settings: .init())
        XCTAssertEqual(try cache.count, 1)
        XCTAssertEqual(try cache.lookup(model: "m", imageHash: "h", settings: .init())?.captions.first, "new")
    }

    func testEverySettingsFieldIsPartOfTheKey() throws {
        let cache = try cache()
        let base = DecodingSettings()
        var variants: [DecodingSettings] = [base]
        func vary(_ change: (inout DecodingSettings) -> Void) {
            var settings = base
            change(&settings)
            variants.append(settings)
        }
        vary { $0.numBeams = 5 }
        vary { $0.maxNewTokens = 200 }
        vary { $0.minNewTokens = 3 }
        vary { $0.lengthPenalty = 0.5 }
        vary { $0.repetitionPenalty = 1.2 }
        vary { $0.earlyStopping = true }
        vary { $0.sample = true }
        vary { $0.topP = 0.9 }
        vary { $0.topK = 50 }
        vary { $0.temperature = 0.7 }
        vary { $0.seed = 42 }
        vary { $0.numCaptions = 3 }
        vary { $0.prompt = "Question: what does the face show?" }
        for (index, settings) in variants.enumerated() {
            try cache.store(result("caption \(index)"), model: "m", modelName: "M", imageHash: "h",
                            imageID: "a", settings: settings)
        }
        XCTAssertEqual(try cache.count, variants.count)
        for (index, settings) in variants.enumerated() {
            XCTAssertEqual(try cache.lookup(model: "m", imageHash: "h", settings: settings)?.captions.first,
                           "caption \(index)")
        }
        XCTAssertEqual(try CacheKey.settingsJSON(base), try CacheKey.settingsJSON(DecodingSettings()))
    }

    func testImportMergesAndKeepsExistingRows() throws {
        let main = try cache("main.sqlite")
        let shard = try cache("shard.sqlite")
        let settings = DecodingSettings()
        try main.store(result("main a"), model: "m", modelName: "M", imageHash: "a", imageID: "a", settings: settings)
        try main.store(result("main b"), model: "m", modelName: "M", imageHash: "b", imageID: "b", settings: settings)
        try shard.store(result("shard b"), model: "m", modelName: "M", imageHash: "b", imageID: "b", settings: settings)
        try shard.store(result("shard c"), model: "m", modelName: "M", imageHash: "c", imageID: "c", settings: settings)
        try shard.store(result("shard d"), model: "m", modelName: "M", imageHash: "d", imageID: "d", settings: settings)

        let counts = try main.import(from: URL(fileURLWithPath: shard.path))
        XCTAssertEqual(counts.added, 2)
        XCTAssertEqual(counts.skipped, 1)
        XCTAssertEqual(try main.count, 4)
        XCTAssertEqual(try main.lookup(model: "m", imageHash: "b", settings: settings)?.captions.first, "main b")
        XCTAssertEqual(try main.lookup(model: "m", imageHash: "d", settings: settings), result("shard d"))

        let again = try main.import(from: URL(fileURLWithPath: shard.path))
        XCTAssertEqual(again.added, 0)
        XCTAssertEqual(again.skipped, 3)
    }

    func testImportRejectsFilesThatAreNotCaches() throws {
        let main = try cache()
        let missing = folder.appendingPathComponent("missing.sqlite")
        XCTAssertThrowsError(try main.import(from: missing)) { error in
            XCTAssertEqual(error as? InputError, InputError(missing.path, "no such file"))
        }
        let text = folder.appendingPathComponent("notes.sqlite")
        try Data("hello, not a database".utf8).write(to: text)
        XCTAssertThrowsError(try main.import(from: text)) { error in
            XCTAssertEqual((error as? InputError)?.path, text.path)
        }
        let other = folder.appendingPathComponent("other.sqlite")
        let queue = try DatabaseQueueForTests.make(other.path, sql: "CREATE TABLE ratings (x INTEGER)")
        _ = queue
        XCTAssertThrowsError(try main.import(from: other)) { error in
            XCTAssertEqual((error as? InputError)?.problem, "not a facecap caption cache (no caption table)")
        }
        XCTAssertEqual(try main.count, 0)
    }

    func testImportOfAMalformedRowAddsNothing() throws {
        let main = try cache("main.sqlite")
        let shard = try cache("shard.sqlite")
        for hash in ["a", "b"] {
            try shard.store(result(hash), model: "m", modelName: "M", imageHash: hash, imageID: hash, settings: .init())
        }
        _ = try DatabaseQueueForTests.make(shard.path, sql: "UPDATE caption SET captions = 'oops' WHERE image_hash = 'b'")
        XCTAssertThrowsError(try main.import(from: URL(fileURLWithPath: shard.path))) { error in
            XCTAssertTrue((error as? InputError)?.problem.contains("malformed caption row") == true, "\(error)")
        }
        XCTAssertEqual(try main.count, 0)
    }

    func testConcurrentWritersDoNotFail() throws {
        let shared = try cache()
        let second = try cache()  // a second connection pool on the same file, as another process would be
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let cache = worker % 2 == 0 ? shared : second
            for item in 0..<50 {
                do {
                    try cache.store(self.result("w\(worker) i\(item)"), model: "m", modelName: "M",
                                    imageHash: "w\(worker)-\(item)", imageID: "\(item)", settings: .init())
                    _ = try cache.lookup(model: "m", imageHash: "w\(worker)-\(item)", settings: .init())
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(try shared.count, 200)
    }

    func testDefaultPath() {
        XCTAssertEqual(CaptionCache.defaultPath(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]),
                       "/x/cache/facecap/captions.sqlite")
        XCTAssertEqual(CaptionCache.defaultPath(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"]),
                       "/home/u/.cache/facecap/captions.sqlite")
        XCTAssertEqual(CaptionCache.defaultPath(environment: ["HOME": "/home/u"]), "/home/u/.cache/facecap/captions.sqlite")
    }

    func testUnopenablePathIsAnInputError() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("file")
        try Data().write(to: blocker)
        let path = blocker.appendingPathComponent("captions.sqlite").path  // a folder that is a file
        XCTAssertThrowsError(try CaptionCache(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.path, path)
        }
    }
}

/// Thread-safe list of failures seen by worker threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}
