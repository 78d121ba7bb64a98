import Foundation
import GRDB
import XCTest
@testable import Study
#if canImport(Glibc)
import Glibc
#endif

/// Real processes against one database file: several raters at once, and a rater killed with SIGKILL.
final class ConcurrencyTests: XCTestCase {
    /// The `study-stress` helper's scores, recomputed independently of its source.
    private func expectedScores(rater: String, position: Int, revision: Int, modelCount: Int) -> [CaptionScore] {
        let raterNumber = rater.utf8.reduce(0) { ($0 * 31 + Int($1)) % 1009 }
        return (0..<modelCount).map { slot in
            CaptionScore(correctness: (raterNumber + position * 7 + slot * 3 + revision * 5) % 10 + 1,
                         completeness: min(10, slot + 1 + position % 3))
        }
    }

    private func helperPath() throws -> String {
        let bundle = Bundle(for: Self.self).bundleURL
        let candidates = [bundle.deletingLastPathComponent(), bundle,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for folder in candidates {
            let path = folder.appendingPathComponent("study-stress").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw XCTSkip("study-stress helper not built next to the tests (\(bundle.path))")
    }

    private func makeStudy(path: String, faces: Int) throws {
        let models = twoModels + [ModelIdentity(name: "Mix-BLIP", identity: "mix sha256:03")]
        try StudyStore(path: path).createStudy(
            name: "stress", datasetPath: "", instructions: "", seed: 11, models: models,
            items: (0..<faces).map { StudyItemDraft(imageID: "face\($0)", captions: ["a \($0)", "b", "c"]) })
    }

    private func launch(_ helper: String, _ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    /// Every stored face of a rater must have all its rating rows, with the scores of the revision stored.
    private func checkWholeFaces(_ store: StudyStore, raters: [String]) throws -> [String: [Int: Int]] {
        let rows = try store.exportRows(study: "stress")
        var revisions: [String: [Int: Int]] = [:]
        for (key, group) in Dictionary(grouping: rows, by: { "\($0.rater) \($0.face)" }) {
            let first = group[0]
            XCTAssertEqual(group.count, 3, "face \(key) has all three model rows")
            let expected = expectedScores(rater: first.rater, position: first.face - 1,
                                          revision: first.revision, modelCount: 3)
            for row in group {
                XCTAssertEqual(row.correctness, expected[row.modelNumber - 1].correctness, key)
                XCTAssertEqual(row.completeness, expected[row.modelNumber - 1].completeness, key)
            }
            XCTAssertEqual(group.filter { $0.mostComplete == true }.map(\.modelNumber), [3], key)
            revisions[first.rater, default: [:]][first.face - 1] = first.revision
        }
        let history = try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.rater, a.position, a.revision, COUNT(h.id) AS replaced
                FROM faceAnswer a LEFT JOIN answerHistory h ON h.answerId = a.id GROUP BY a.id
                """)
        }
        for row in history {
            XCTAssertEqual(row["replaced"] as Int, (row["revision"] as Int) - 1,
                           "history is written in the same transaction as the replacement")
        }
        let integrity = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, "ok")
        return revisions
    }

    func testSeveralRaterProcessesAtOnceLoseNothing() throws {
        let helper = try helperPath()
        let path = try temporaryDirectory(self).appendingPathComponent("shared.sqlite").path
        let (processes, faces) = (4, 40)
        try makeStudy(path: path, faces: faces)

        let raters = (0..<processes).map { "rater\($0)" }
        let children = try raters.map { try launch(helper, [path, "stress", $0, "0", "\(faces)", "--resubmit"]) }
        for (process, output, errors) in children {
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, complaints)
            XCTAssertEqual(complaints, "", "no 'database is locked' or any other error reaches the rater")
            XCTAssertEqual(printed.split(separator: "\n").count, faces * 2)
        }

        let store = try StudyStore(path: path)
        let revisions = try checkWholeFaces(store, raters: raters)
        XCTAssertEqual(try store.exportRows(study: "stress").count, processes * faces * 3)
        for rater in raters {
            XCTAssertEqual(revisions[rater]?.count, faces, rater)
            XCTAssertEqual(Set(revisions[rater]?.values ?? [:].values), [2], "both submissions of each face")
        }
        XCTAssertEqual(try store.status(study: "stress").map(\.rated), Array(repeating: faces, count: processes))
    }

    func testKilledRaterLosesNothingCommittedAndLeavesNoHalfFace() throws {
        let helper = try helperPath()
        let path = try temporaryDirectory(self).appendingPathComponent("crash.sqlite").path
        let faces = 3000
        try makeStudy(path: path, faces: faces)

        // A second rater writes alongside, so the kill lands while the file is contended.
        let (other, otherOutput, _) = try launch(helper, [path, "stress", "steady", "0", "60"])
        let (victim, output, _) = try launch(helper, [path, "stress", "victim", "0", "\(faces)", "--resubmit"])
        var printed = Data()
        while printed.filter({ $0 == UInt8(ascii: "\n") }).count < 40 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        printed.append(output.fileHandleForReading.readDataToEndOfFile())
        _ = otherOutput.fileHandleForReading.readDataToEndOfFile()
        other.waitUntilExit()
        XCTAssertEqual(victim.terminationReason, .uncaughtSignal)
        XCTAssertEqual(other.terminationStatus, 0)

        var reported: [Int: Int] = [:]
        for line in String(decoding: printed, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            // A line cut by the kill is not a report.
            guard fields.count == 3, fields[0] == "committed", let position = Int(fields[1]),
                  let revision = Int(fields[2]) else { continue }
            reported[position] = max(reported[position] ?? 0, revision)
        }
        XCTAssertGreaterThanOrEqual(reported.count, 20)
        XCTAssertLessThan(reported.count, faces, "the kill landed mid-stream")

        let store = try StudyStore(path: path)
        let revisions = try checkWholeFaces(store, raters: ["victim", "steady"])
        for (position, revision) in reported {
            XCTAssertGreaterThanOrEqual(revisions["victim"]?[position] ?? 0, revision,
                                        "face \(position) was reported committed")
        }
        // At most the face in flight may be stored without having been reported.
        XCTAssertLessThanOrEqual((revisions["victim"]?.count ?? 0) - reported.count, 1)
        XCTAssertEqual(revisions["steady"]?.count, 60)
    }
}
