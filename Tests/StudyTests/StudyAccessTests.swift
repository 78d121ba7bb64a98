import Foundation
import GRDB
import XCTest
@testable import Study

/// Who may open a study and how: read-only files, rater lists, and what a tiny study's report says.
final class StudyAccessTests: XCTestCase {
    func makeStudy(_ path: String, raters: [String] = []) throws -> StudyStore {
        let store = try StudyStore(path: path)
        try store.createStudy(name: "pilot", datasetPath: "/data", instructions: "", seed: 3, models: twoModels,
                              items: [StudyItemDraft(imageID: "f1.png", captions: ["a", "b"]),
                                      StudyItemDraft(imageID: "f2.png", captions: ["c", "d"])],
                              raters: raters)
        return store
    }

    func testRaterListRestrictsWhoMayRate() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("s.sqlite").path
        let store = try makeStudy(path, raters: ["bob", "alice"])
        XCTAssertEqual(try store.study(named: "pilot").raters, ["alice", "bob"])
        XCTAssertNoThrow(try store.openRaterSession(study: "pilot", rater: "alice"))
        XCTAssertThrowsError(try store.openRaterSession(study: "pilot", rater: "mallory")) { error in
            XCTAssertEqual("\(error)", "\"mallory\" is not a rater of study pilot (its raters: alice, bob)")
        }
        XCTAssertThrowsError(try StudyStore.validateRaters(["a", "a"]))
        XCTAssertThrowsError(try StudyStore.validateRaters([" a"]))
        // Without a list, anyone.
        let open = try temporaryDirectory(self).appendingPathComponent("s.sqlite").path
        XCTAssertNoThrow(try makeStudy(open).openRaterSession(study: "pilot", rater: "mallory"))
    }

    /// A read-only open never writes: no migration, no WAL files left behind, and writes fail clearly.
    func testReadOnlyOpenReadsAndRefusesWrites() throws {
        let folder = try temporaryDirectory(self)
        let path = folder.appendingPathComponent("s.sqlite").path
        let session = try makeStudy(path).openRaterSession(study: "pilot", rater: "alice")
        try submitBySlot(session, position: 0, [(3, 4), (5, 6)])
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let reader = try StudyStore(path: path, access: .readOnly)
        XCTAssertEqual(try reader.report(study: "pilot").answers, 1)
        XCTAssertEqual(try reader.exportRows(study: "pilot").count, 2)
        XCTAssertThrowsError(try reader.reveal(study: "pilot")) { error in
            XCTAssertTrue("\(error)".contains("read-only"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    /// With no writer about, a reader creates no -wal or -shm: one made by a user who may not write
    /// the study would lock its writers out.
    func testReaderWithoutAWriterCreatesNoSideFiles() throws {
        let folder = try temporaryDirectory(self)
        let path = folder.appendingPathComponent("s.sqlite").path
        do { _ = try makeStudy(path) }   // the writer closes here, removing its -wal and -shm
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["s.sqlite"])
        let reader = try StudyStore(path: path, access: .readOnly)
        XCTAssertEqual(try reader.studies().map(\.name), ["pilot"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["s.sqlite"])
    }

    /// The immutable fallback reads a file whose folder nobody may write (as root, permissions do not
    /// stop us, so the URI is opened directly, as the fallback does).
    func testImmutableURIReadsTheFile() throws {
        let folder = try temporaryDirectory(self).appendingPathComponent("with space?#")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("s.sqlite").path
        _ = try makeStudy(path)
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: StudyStore.immutableURI(path), configuration: configuration)
        XCTAssertEqual(try queue.read { try String.fetchOne($0, sql: "SELECT name FROM study") }, "pilot")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("file:").path))
    }

    /// Two ratings 1 and 10: the t interval is 5.5 +- 57; the report clips it to 1-10 and says so.
    func testTinyStudyIntervalsStayOnTheScaleWithANote() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("s.sqlite").path
        let store = try makeStudy(path)
        let alice = try store.openRaterSession(study: "pilot", rater: "alice")
        try submitBySlot(alice, position: 0, [(1, 5), (5, 5)], most: 0, least: 1)
        try submitBySlot(alice, position: 1, [(10, 6), (5, 6)], most: 0, least: 1)
        let report = try store.report(study: "pilot")
        let correctness = try XCTUnwrap(report.models[0].correctness)
        XCTAssertEqual(correctness.mean, 5.5)
        XCTAssertEqual(correctness.lower, 1)
        XCTAssertEqual(correctness.upper, 10)
        XCTAssertTrue(correctness.clipped)
        // 5 and 6: 5.5 +- 6.35, also past the scale.
        XCTAssertEqual(try XCTUnwrap(report.models[0].completeness).clipped, true)
        // 5 and 5: no spread, nothing to clip.
        XCTAssertEqual(try XCTUnwrap(report.models[1].correctness).clipped, false)

        let text = report.renderText()
        XCTAssertTrue(text.contains("5.50 [1.00, 10.00]*"), text)
        XCTAssertTrue(text.contains("* the 95% t interval on so few ratings passes the 1-10 scale: shown clipped"), text)
        XCTAssertTrue(text.contains("Study pilot: 2 faces, 1 rater, 2 rated answers, 0 skipped"), text)
        XCTAssertTrue(text.contains("  correctness undefined, completeness undefined\n"), text)
        XCTAssertTrue(text.contains("  from 0 face-model units rated by 2 or more raters\n"), text)
        for line in text.split(separator: "\n") {
            XCTAssertLessThanOrEqual(line.count, 80, String(line))
            XCTAssertFalse(line.hasSuffix("~"), "cut: \(line)")
        }
    }

    func testReportJSONKeysAreSnakeCase() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("s.sqlite").path
        let store = try makeStudy(path)
        let json = try store.report(study: "pilot").renderJSON()
        for key in ["\"model_number\"", "\"most_complete\"", "\"least_complete\"", "\"by_emotion\"", "\"pairable_units\""] {
            XCTAssertTrue(json.contains(key), "\(key) in \(json)")
        }
        // Every key: lower case, digits and underscores only.
        let keys = try NSRegularExpression(pattern: "\"([^\"]+)\" :")
            .matches(in: json, range: NSRange(json.startIndex..., in: json))
            .map { String(json[Range($0.range(at: 1), in: json)!]) }
        XCTAssertFalse(keys.isEmpty)
        for key in keys { XCTAssertNil(key.range(of: "[^a-z0-9_]", options: .regularExpression), key) }
    }
}
