import Foundation
import GRDB
import XCTest
@testable import Study

/// Upgrades from older files, and failures that must surface as errors rather than crashes.
final class StudyStoreDurabilityTests: XCTestCase {
    private static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Study/study-v1.sql")

    func testVersion1DatabaseOpensAndMigrates() throws {
        let folder = try temporaryDirectory(self)
        let path = folder.appendingPathComponent("old.sqlite").path
        let sql = try String(contentsOf: Self.fixture, encoding: .utf8)
        try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }

        let store = try StudyStore(path: path)
        let study = try store.study(named: "legacy")
        XCTAssertEqual(study.models.map(\.name), ["Exp-BLIP", "Cat-BLIP"])
        XCTAssertEqual(study.seed, UInt64(bitPattern: -7))
        XCTAssertEqual(study.itemCount, 2)
        let rows = try store.exportRows(study: "legacy")
        let rated = rows.filter { $0.face == 1 }
        XCTAssertEqual(rated.first { $0.modelNumber == 1 }?.correctness, 9)
        XCTAssertEqual(rated.first { $0.modelNumber == 2 }?.completeness, 3)
        XCTAssertEqual(rated.first { $0.modelNumber == 1 }?.mostComplete, true)
        XCTAssertEqual(rated[0].revision, 1)
        XCTAssertEqual(rated[0].firstSubmittedAt, "2026-01-02T04:00:00.000Z", "v2 fills the first time in")
        XCTAssertEqual(rows.filter { $0.face == 2 }.map(\.skippedReason), ["eyes closed", "eyes closed"])

        // The upgraded file works like a new one: alice re-rates face 1, the v1 answer goes to history.
        let alice = try store.openRaterSession(study: "legacy", rater: "alice")
        XCTAssertNil(try alice.resumePosition())
        try submitBySlot(alice, position: 0, [(4, 4), (5, 6)])
        XCTAssertEqual(try alice.face(at: 0).previous?.revision, 2)
        let history = try store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM answerHistory") }
        XCTAssertEqual(history, 1)
        let applied = try store.pool.read { try Schema.migrator.appliedIdentifiers($0) }
        XCTAssertEqual(applied, ["v1", "v2-answer-history", "v3-study-raters"])
        XCTAssertEqual(try store.study(named: "legacy").raters, [], "a study from before v3 takes any rater")
    }

    /// The fixture must really be what migration v1 creates, or the test above proves nothing.
    func testFixtureMatchesMigrationV1() throws {
        func columns(_ queue: DatabaseQueue) throws -> [String: [String]] {
            try queue.read { db in
                var tables: [String: [String]] = [:]
                for table in try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    """) {
                    tables[table] = try db.columns(in: table).map { "\($0.name) \($0.type) \($0.isNotNull)" }
                }
                return tables
            }
        }
        let fixture = try DatabaseQueue()
        try fixture.write { try $0.execute(sql: try String(contentsOf: Self.fixture, encoding: .utf8)) }
        let migrated = try DatabaseQueue()
        try Schema.migrator.migrate(migrated, upTo: "v1")
        XCTAssertEqual(try columns(fixture), try columns(migrated))
    }

    /// A full disk, simulated by capping the file at its current size: the face is refused with a clear
    /// error, nothing of it is stored, and everything submitted before is still there.
    func testFullDiskThrowsAndLeavesNoHalfFace() throws {
        let folder = try temporaryDirectory(self)
        let path = folder.appendingPathComponent("full.sqlite").path
        let longCaption = String(repeating: "the inner brows are raised and drawn together; ", count: 40)
        try StudyStore(path: path).createStudy(
            name: "full", datasetPath: "", instructions: "", seed: 3, models: twoModels,
            items: (0..<200).map { StudyItemDraft(imageID: "f\($0)", captions: [longCaption, "short"]) })

        let capped = try StudyStore(path: path, busyTimeout: 10, clock: Date.init, prepare: { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 2)")
        })
        let session = try capped.openRaterSession(study: "full", rater: "alice")
        var stored = 0
        var failure: Error?
        let comment = String(repeating: "x", count: 1500)
        for position in 0..<200 {
            do {
                try submitBySlot(session, position: position, [(5, 6), (7, 2)], comment: comment)
                stored += 1
            } catch {
                failure = error
                break
            }
        }
        let error = try XCTUnwrap(failure, "the cap should have been reached")
        XCTAssertGreaterThan(stored, 0, "the cap leaves room for a few faces")
        print("full disk after \(stored) faces: \(error)")
        guard case .storage(_, let action, let reason)? = error as? StudyError else {
            return XCTFail("expected a storage error, got \(error)")
        }
        XCTAssertTrue(reason.contains("full"), reason)
        XCTAssertTrue(action.contains("face \(stored + 1)"), action)
        XCTAssertTrue("\(error)".hasPrefix(path), "\(error)")

        let reopened = try StudyStore(path: path)
        let rows = try reopened.exportRows(study: "full")
        XCTAssertEqual(rows.count, stored * 2, "every stored face whole, the failed one absent")
        XCTAssertEqual(Set(rows.map(\.face)), Set((0..<stored).map { $0 + 1 }))
    }

    func testNotADatabaseIsAnErrorNotACrash() throws {
        let folder = try temporaryDirectory(self)
        let path = folder.appendingPathComponent("junk.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try StudyStore(path: path)) { error in
            guard case .storage(let errorPath, _, let reason)? = error as? StudyError else {
                return XCTFail("expected a storage error, got \(error)")
            }
            XCTAssertEqual(errorPath, path)
            XCTAssertTrue(reason.contains("not a usable study database"), reason)
        }
        XCTAssertThrowsError(try StudyStore(path: folder.appendingPathComponent("no/such/dir/x.sqlite").path))
    }
}
