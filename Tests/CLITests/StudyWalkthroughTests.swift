import Foundation
import XCTest

/// What a new researcher trips over with studies: options checked late, --db typos, read-only files,
/// and the report's JSON keys.
final class StudyWalkthroughTests: XCTestCase {
    let dataset = FacecapProcess.fixtures.appendingPathComponent("datasets/labels_csv").path
    let models = StudyFixture.models.map { FacecapProcess.fixtures.appendingPathComponent("parity/\($0)").path }

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-walk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Each mistake is refused before any face is captioned: no caption cache appears, no database.
    func testStudyCreateValidatesBeforeCaptioning() throws {
        let dir = try scratch()
        let db = dir.appendingPathComponent("s.sqlite").path, cache = dir.appendingPathComponent("c.sqlite").path
        let cases: [([String], String)] = [
            (["bad name!"], "study name \"bad name!\" must be"),
            (["ok", "--raters", "alice,alice"], "--raters lists a rater twice"),
            (["ok", "--raters", " , "], "--raters needs at least one login name"),
            (["ok", "--models", "\(models[0]),\(models[0])"], "--models lists a model twice"),
            (["ok", "--instructions", "/nonexistent/instructions.txt"], "/nonexistent/instructions.txt"),
            (["ok", "--models", "tiny-nope"], "tiny-nope: no such model"),
        ]
        for (arguments, message) in cases {
            var full = ["study", "create"] + arguments + ["--dataset", dataset, "--db", db, "--cache", cache]
            if !arguments.contains("--models") { full += ["--models", models.joined(separator: ",")] }
            let out = try FacecapProcess.run(full)
            XCTAssertNotEqual(out.status, 0, "\(arguments)")
            XCTAssertTrue(out.stderr.contains(message), "\(arguments): \(out.stderr)")
            XCTAssertFalse(out.stderr.contains("tiny-f32 0002.png"), "captioned before failing: \(out.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: cache), "\(arguments) captioned into the cache")
            XCTAssertFalse(FileManager.default.fileExists(atPath: db), "\(arguments) wrote the database")
        }
    }

    func testDatabaseInAMissingFolderIsAnErrorNotANewFolder() throws {
        let dir = try scratch()
        let db = dir.appendingPathComponent("typo/s.sqlite").path
        let out = try FacecapProcess.run(["study", "create", "x", "--dataset", dataset, "--models", models[0],
                                          "--db", db, "--cache", dir.appendingPathComponent("c.sqlite").path])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "facecap: \(db): the folder \(dir.path)/typo does not exist; create it first "
            + "(facecap makes only its default folder)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("typo").path))
    }

    /// A study file the user may not write (another user's, in a folder they may not write either):
    /// status, report and export read it; reveal says why it cannot. Run as the unprivileged user
    /// "nobody" when the suite runs as root (permissions do not bind root).
    func testReadOnlyStudyIsReadable() throws {
        let study = try StudyFixture(name: "ro", seed: 4)
        let dir = try scratch()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        let db = dir.appendingPathComponent("studies.sqlite").path
        try FileManager.default.copyItem(atPath: study.db, toPath: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        let facecap = try UnixUsers.executableForOthers(in: dir)
        var asReader: (([String]) throws -> FacecapProcess.Output)
        if getuid() == 0 {
            asReader = { try UnixUsers.run(facecap, $0, as: "nobody") }
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
            addTeardownBlock { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
            asReader = { try UnixUsers.run(facecap, $0, as: nil) }
        }
        let status = try asReader(["study", "status", "ro", "--db", db])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("study ro: 5 faces"), status.stdout)
        let report = try asReader(["study", "report", "ro", "--db", db, "--format", "json"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("\"model_number\""), report.stdout)
        let export = try asReader(["study", "export", "ro", "--db", db])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stdout.hasPrefix("study,rater,face,"), export.stdout)
        let list = try asReader(["study", "list", "--db", db])
        XCTAssertEqual(list.status, 0, list.stderr)

        let reveal = try asReader(["study", "reveal", "ro", "--db", db])
        XCTAssertEqual(reveal.status, 1)
        XCTAssertTrue(reveal.stderr.contains("may not write this study database"), reveal.stderr)
        XCTAssertTrue(reveal.stderr.contains("\(db)-wal") && reveal.stderr.contains("\(db)-shm"), reveal.stderr)
        // Reading left nothing behind in the folder.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["facecap", "studies.sqlite"])
    }
}
