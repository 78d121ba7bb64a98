import Foundation
import XCTest

/// The study commands' one-line errors and listings, without a terminal.
final class StudyCommandTests: XCTestCase {
    func assertOneLineError(_ arguments: [String], mentions expected: [String],
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let out = try FacecapProcess.run(arguments)
        XCTAssertEqual(out.status, 1, "status; stderr: \(out.stderr)", file: file, line: line)
        XCTAssertEqual(out.stderr.split(separator: "\n").count, 1, out.stderr, file: file, line: line)
        XCTAssertTrue(out.stderr.hasPrefix("facecap: "), out.stderr, file: file, line: line)
        for text in expected {
            XCTAssertTrue(out.stderr.contains(text), "\(out.stderr) should mention \(text)", file: file, line: line)
        }
    }

    func testUnknownStudyListsTheKnownOnes() throws {
        let study = try StudyFixture(name: "known-one", seed: 1)
        for command in [["study", "status", "nope"], ["study", "report", "nope"], ["study", "export", "nope"],
                        ["study", "reveal", "nope"], ["rate", "nope", "--rater", "x"]] {
            try assertOneLineError(command + ["--db", study.db], mentions: ["\"nope\"", "known studies: known-one"])
        }
        let list = try study.run(["study", "list"]).stdout
        XCTAssertTrue(list.contains("known-one") && list.contains("blind"), list)
    }

    func testMissingDatabaseAndDuplicateStudyAndClosedStudy() throws {
        try assertOneLineError(["study", "list", "--db", "/nonexistent/s.sqlite"],
                               mentions: ["/nonexistent/s.sqlite", "no study database"])
        let study = try StudyFixture(name: "dup", seed: 2)
        let models = StudyFixture.models.map { FacecapProcess.fixtures.appendingPathComponent("parity/\($0)").path }
        try assertOneLineError(["study", "create", "dup", "--dataset",
                                FacecapProcess.fixtures.appendingPathComponent("datasets/labels_csv").path,
                                "--models", models.joined(separator: ","), "--db", study.db, "--cache", study.cache],
                               mentions: ["\"dup\" already exists"])
        // The dataset's own warnings come first; the error is the one line without "warning:".
        let big = try FacecapProcess.run(["study", "create", "big", "--sample", "99", "--dataset",
                                          FacecapProcess.fixtures.appendingPathComponent("datasets/labels_csv").path,
                                          "--models", models[0], "--db", study.db, "--cache", study.cache])
        XCTAssertEqual(big.status, 1)
        let errors = big.stderr.split(separator: "\n").filter { !$0.hasPrefix("facecap: warning:") }
        XCTAssertEqual(errors, ["facecap: --sample 99 asks for more images than the dataset has (5)"])
        _ = try study.run(["study", "finish", "dup"])
        try assertOneLineError(["rate", "dup", "--rater", "x", "--db", study.db], mentions: ["finished"])
        XCTAssertTrue(try study.run(["study", "report", "dup"]).stdout.contains("Study dup: 5 faces, 0 raters"))
    }

    func testDefaultDatabaseFollowsXDGDataHomeThenHome() throws {
        let xdg = try FacecapProcess.run(["study", "list"], environment: ["XDG_DATA_HOME": "/nonexistent-xdg"])
        XCTAssertEqual(xdg.status, 1)
        XCTAssertTrue(xdg.stderr.contains("/nonexistent-xdg/facecap/studies.sqlite"), xdg.stderr)
        let home = try FacecapProcess.run(["study", "list"], environment: ["XDG_DATA_HOME": "", "HOME": "/nonexistent-home"])
        XCTAssertTrue(home.stderr.contains("/nonexistent-home/.local/share/facecap/studies.sqlite"), home.stderr)
    }

    /// The same seed draws the same faces in the same order, whatever database they go to.
    func testSameSeedSameStudy() throws {
        let a = try StudyFixture(name: "s", seed: 99), b = try StudyFixture(name: "s", seed: 99)
        let sqlite = { (s: StudyFixture) -> String in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["sqlite3", s.db, "SELECT imageID FROM studyItem ORDER BY position"]
            let out = Pipe()
            p.standardOutput = out
            try? p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        XCTAssertEqual(sqlite(a), sqlite(b))
        XCTAssertEqual(sqlite(a).split(separator: "\n").count, 5)
    }
}
