import Captioning
import Foundation
import GRDB
import XCTest
@testable import CaptionStore

/// Schema v2 adds per-token log-probs and recorded attention; caches written before it keep working.
final class CaptionCacheMigrationTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-cache-v2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A cache exactly as facecap wrote it before v2: the v1 table, one row, GRDB's migration record.
    private func writeVersion1Cache(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE caption (model_identity TEXT NOT NULL, image_hash TEXT NOT NULL, settings TEXT NOT NULL,
                    model_name TEXT NOT NULL, image_id TEXT NOT NULL, captions TEXT NOT NULL, token_ids TEXT NOT NULL,
                    encode_ms REAL NOT NULL, decode_ms REAL NOT NULL, created_at DATETIME NOT NULL,
                    PRIMARY KEY (model_identity, image_hash, settings)) WITHOUT ROWID
                """)
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1: caption')")
            try db.execute(sql: "INSERT INTO caption VALUES ('m', 'h', ?, 'M', 'a.png', '[\"old row\"]', '[[5,6]]', 1, 2, '2026-01-01')",
                           arguments: [try CacheKey.settingsJSON(DecodingSettings())])
        }
    }

    func testOldRowsReadBackWithoutLogprobsAndNewRowsWithThem() throws {
        let path = folder.appendingPathComponent("old.sqlite").path
        try writeVersion1Cache(path)
        let cache = try CaptionCache(path: path)
        let old = try XCTUnwrap(try cache.lookup(model: "m", imageHash: "h", settings: DecodingSettings()))
        XCTAssertEqual(old.captions, ["old row"])
        XCTAssertEqual(old.tokenLogprobs, [])
        XCTAssertNil(old.attention)

        let attention = CaptionAttention(gridRows: 1, gridColumns: 2, tokenMaps: [[[0.25, 0.75], [1, 0]]])
        let recorded = CaptionResult(captions: ["new"], tokenIDs: [[7, 8]], encodeMs: 1, decodeMs: 2,
                                     tokenLogprobs: [[-0.5, -0.125]], attention: attention)
        try cache.store(recorded, model: "m", modelName: "M", imageHash: "h2", imageID: "b.png", settings: DecodingSettings())
        XCTAssertEqual(try cache.lookup(model: "m", imageHash: "h2", settings: DecodingSettings()), recorded)

        // A later run without recording keeps the recorded attention (same weights, image and settings).
        var plain = recorded
        plain.attention = nil
        plain.decodeMs = 9
        try cache.store(plain, model: "m", modelName: "M", imageHash: "h2", imageID: "b.png", settings: DecodingSettings())
        let merged = try XCTUnwrap(try cache.lookup(model: "m", imageHash: "h2", settings: DecodingSettings()))
        XCTAssertEqual(merged.decodeMs, 9)
        XCTAssertEqual(merged.attention, attention)
    }

    func testImportingAVersion1CacheLeavesTheNewColumnsEmpty() throws {
        let oldPath = folder.appendingPathComponent("old.sqlite").path
        try writeVersion1Cache(oldPath)
        let cache = try CaptionCache(path: folder.appendingPathComponent("new.sqlite").path)
        let counts = try cache.import(from: URL(fileURLWithPath: oldPath))
        XCTAssertEqual(counts.added, 1)
        XCTAssertEqual(try cache.lookup(model: "m", imageHash: "h", settings: DecodingSettings())?.tokenLogprobs, [])
    }
}
