import Foundation
import GRDB
import XCTest
@testable import Study

final class StudyStoreTests: XCTestCase {
    private var clockTime = Date(timeIntervalSince1970: 1_780_000_000)

    private func makeStore(_ folder: URL) throws -> StudyStore {
        try StudyStore(path: folder.appendingPathComponent("studies.sqlite").path, busyTimeout: 10,
                       clock: { [unowned self] in clockTime }, prepare: nil)
    }

    private func makeStudy(_ store: StudyStore, name: String = "pilot") throws -> Study {
        try store.createStudy(
            name: name, datasetPath: "/data/faces", instructions: "Rate every caption.", seed: 2024,
            models: twoModels,
            items: [StudyItemDraft(imageID: "f1.png", groundTruthEmotion: "happy",
                                   captions: ["smiling, cheeks raised", "a happy person"]),
                    StudyItemDraft(imageID: "f2.png", groundTruthEmotion: "sad",
                                   captions: ["lip corners down", "sad, \"teary\", eyes"]),
                    StudyItemDraft(imageID: "f3.png", groundTruthEmotion: "happy",
                                   captions: ["broad smile", "neutral face"])])
    }

    func testRatedImageIDsCountSubmittedFacesNotSkippedOnes() throws {
        let store = try makeStore(try temporaryDirectory(self))
        _ = try makeStudy(store)
        XCTAssertEqual(try store.ratedImageIDs(datasetPath: "/data/faces"), [])
        let session = try store.openRaterSession(study: "pilot", rater: "ann")
        try session.submit(FaceSubmission(position: 1, scores: [CaptionScore(correctness: 9, completeness: 8),
                                                                CaptionScore(correctness: 3, completeness: 2)]))
        try session.skip(position: 0, reason: "cannot see the face")
        XCTAssertEqual(try store.ratedImageIDs(datasetPath: "/data/faces"), ["f2.png"])
        XCTAssertEqual(try store.ratedImageIDs(datasetPath: "/elsewhere"), [])
    }

    func testCreateFreezesTheStudy() throws {
        let store = try makeStore(try temporaryDirectory(self))
        let study = try makeStudy(store)
        XCTAssertEqual(study.models, twoModels)
        XCTAssertEqual(study.itemCount, 3)
        XCTAssertEqual(study.seed, 2024)
        XCTAssertFalse(study.revealed)
        XCTAssertEqual(study.displayName(slot: 1), "model-2")
        XCTAssertEqual(try store.studies().map(\.name), ["pilot"])
        XCTAssertThrowsError(try makeStudy(store)) { XCTAssertEqual($0 as? StudyError, .studyExists("pilot")) }
        XCTAssertThrowsError(try store.study(named: "nope")) {
            XCTAssertEqual($0 as? StudyError, .noSuchStudy("nope"))
        }
        XCTAssertThrowsError(try store.createStudy(name: "bad name", datasetPath: "", instructions: "",
                                                   seed: 1, models: twoModels, items: []))
        XCTAssertThrowsError(try store.createStudy(
            name: "x", datasetPath: "", instructions: "", seed: 1, models: twoModels,
            items: [StudyItemDraft(imageID: "a", captions: ["only one"])]))
        // A huge seed survives the round trip through SQLite's signed integers.
        let big = try store.createStudy(name: "big-seed", datasetPath: "", instructions: "", seed: .max,
                                        models: twoModels,
                                        items: [StudyItemDraft(imageID: "a", captions: ["1", "2"])])
        XCTAssertEqual(big.seed, .max)
    }

    func testFaceIsBlindAndSubmissionMapsBackToModels() throws {
        let store = try makeStore(try temporaryDirectory(self))
        _ = try makeStudy(store)
        let session = try store.openRaterSession(study: "pilot", rater: "alice")
        let face = try session.face(at: 1)
        XCTAssertEqual(face.imageID, "f2.png")
        XCTAssertEqual(face.captions.map(\.letter), ["A", "B"])
        XCTAssertEqual(face.captions.compactMap(\.modelName), [], "names hidden while blind")
        let order = try session.blindOrder(position: 1)
        let texts = ["lip corners down", "sad, \"teary\", eyes"]
        XCTAssertEqual(face.captions.map(\.text), order.map { texts[$0] })
        XCTAssertNil(face.previous)
        XCTAssertEqual(face.progress.description, "0 / 3")

        // Caption A gets 9/8, B 3/2, whichever models they are.
        try session.submit(FaceSubmission(position: 1, scores: [CaptionScore(correctness: 9, completeness: 8),
                                                                CaptionScore(correctness: 3, completeness: 2)]))
        let rows = try store.exportRows(study: "pilot")
        XCTAssertEqual(rows.count, 2)
        let rowA = try XCTUnwrap(rows.first { $0.letter == "A" })
        XCTAssertEqual(rowA.modelNumber, order[0] + 1)
        XCTAssertEqual(rowA.caption, texts[order[0]])
        XCTAssertEqual(rowA.correctness, 9)
        XCTAssertEqual(rowA.mostComplete, true)
        XCTAssertEqual(rows.first { $0.letter == "B" }?.leastComplete, true)

        // The same rater sees the same letters again, with their answer.
        let again = try store.openRaterSession(study: "pilot", rater: "alice").face(at: 1)
        XCTAssertEqual(again.captions, face.captions)
        XCTAssertEqual(again.previous?.scores.map(\.correctness), [9, 3])
        XCTAssertEqual(again.previous?.mostComplete, 0)
        XCTAssertEqual(again.previous?.leastComplete, 1)
        XCTAssertEqual(again.progress.description, "1 / 3")

        try store.reveal(study: "pilot")
        let revealed = try session.face(at: 1)
        XCTAssertEqual(revealed.captions.compactMap(\.modelName), order.map { twoModels[$0].name })
    }

    func testResumeSkipResubmitAndHistory() throws {
        let store = try makeStore(try temporaryDirectory(self))
        _ = try makeStudy(store)
        let alice = try store.openRaterSession(study: "pilot", rater: "alice")
        XCTAssertEqual(try alice.resumePosition(), 0)
        try submitBySlot(alice, position: 0, [(8, 9), (6, 4)])
        XCTAssertEqual(try alice.skip(position: 2, reason: "face hidden by hand").description, "2 / 3")
        XCTAssertEqual(try alice.resumePosition(), 1, "first unfinished, not after the last done")
        XCTAssertThrowsError(try alice.skip(position: 1, reason: "  "))
        XCTAssertThrowsError(try submitBySlot(alice, position: 3, [(1, 1), (1, 1)]), "outside the study")

        // Reopen face 1 and change the answer: replaced whole, history kept.
        clockTime += 60
        try submitBySlot(alice, position: 0, [(5, 3), (7, 8)], comment: "changed my mind")
        let previous = try XCTUnwrap(alice.face(at: 0).previous)
        XCTAssertEqual(previous.revision, 2)
        let rows = try store.exportRows(study: "pilot").filter { $0.face == 1 }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.first { $0.modelNumber == 1 }?.correctness, 5)
        XCTAssertEqual(rows.first { $0.modelNumber == 2 }?.mostComplete, true)
        XCTAssertEqual(rows[0].comment, "changed my mind")
        XCTAssertEqual(rows[0].firstSubmittedAt, "2026-05-28T20:26:40.000Z")
        XCTAssertEqual(rows[0].submittedAt, "2026-05-28T20:27:40.000Z")
        let history = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT revision, replacedAt, snapshot FROM answerHistory")
        }
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(history[0]["revision"] as Int, 1)
        let snapshot = try JSONDecoder().decode(StoredAnswer.self, from: Data((history[0]["snapshot"] as String).utf8))
        XCTAssertEqual(snapshot.scores[0], CaptionScore(correctness: 8, completeness: 9))
        XCTAssertEqual(snapshot.mostComplete, 0)

        // A skipped face can be rated later, and a rated face skipped: ratings go with it.
        try submitBySlot(alice, position: 2, [(4, 4), (4, 5)])
        try alice.skip(position: 0, reason: "wrong person")
        XCTAssertEqual(try store.exportRows(study: "pilot").filter { $0.face == 1 }.compactMap(\.correctness), [])
        XCTAssertEqual(try alice.resumePosition(), 1)
        try submitBySlot(alice, position: 1, [(4, 4), (4, 5)])
        XCTAssertNil(try alice.resumePosition())
    }

    func testTiesMustBeResolvedByTheRater() throws {
        let store = try makeStore(try temporaryDirectory(self))
        _ = try makeStudy(store)
        let bob = try store.openRaterSession(study: "pilot", rater: "bob")
        XCTAssertThrowsError(try submitBySlot(bob, position: 0, [(7, 7), (7, 7)])) { error in
            guard case .tieNeedsChoice(.most, let candidates)? = error as? StudyError else {
                return XCTFail("expected a tie, got \(error)")
            }
            XCTAssertEqual(candidates, [0, 1])
        }
        XCTAssertEqual(try bob.progress().finished, 0, "a rejected face is not stored")
        try submitBySlot(bob, position: 0, [(7, 7), (7, 7)], most: 1, least: 0)
        let rows = try store.exportRows(study: "pilot")
        XCTAssertEqual(rows.first { $0.modelNumber == 2 }?.mostComplete, true)
        XCTAssertEqual(rows.first { $0.modelNumber == 1 }?.leastComplete, true)
    }

    func testRaterIdsAndFinishedStudies() throws {
        let store = try makeStore(try temporaryDirectory(self))
        _ = try makeStudy(store)
        XCTAssertThrowsError(try store.openRaterSession(study: "pilot", rater: ""))
        XCTAssertThrowsError(try store.openRaterSession(study: "pilot", rater: " alice"))
        XCTAssertThrowsError(try store.openRaterSession(study: "pilot", rater: "a\u{7}"))
        XCTAssertThrowsError(try store.openRaterSession(study: "missing", rater: "alice"))
        let alice = try store.openRaterSession(study: "pilot", rater: "alice")
        try submitBySlot(alice, position: 0, [(8, 9), (6, 4)])
        try store.finish(study: "pilot")
        XCTAssertThrowsError(try submitBySlot(alice, position: 1, [(8, 9), (6, 4)])) {
            XCTAssertEqual($0 as? StudyError, .studyClosed("pilot"))
        }
        XCTAssertTrue(try store.study(named: "pilot").revealed)
        XCTAssertEqual(try store.exportRows(study: "pilot").map(\.model).sorted(), ["Cat-BLIP", "Exp-BLIP"])
    }

    /// Two raters, hand-computed figures (see the comments for the arithmetic).
    func testReportFiguresByHand() throws {
        let store = try makeStore(try temporaryDirectory(self))
        _ = try makeStudy(store)
        let alice = try store.openRaterSession(study: "pilot", rater: "alice")
        let bob = try store.openRaterSession(study: "pilot", rater: "bob")
        // Slot 0 = Exp-BLIP, slot 1 = Cat-BLIP; (correctness, completeness).
        try submitBySlot(alice, position: 0, [(8, 9), (6, 4)])
        try submitBySlot(alice, position: 1, [(7, 7), (7, 7)], most: 0, least: 1)
        try alice.skip(position: 2, reason: "blurry")
        try submitBySlot(bob, position: 0, [(9, 8), (5, 5)])
        try submitBySlot(bob, position: 1, [(6, 5), (8, 6)])
        try submitBySlot(bob, position: 2, [(10, 10), (2, 1)])

        let report = try store.report(study: "pilot")
        XCTAssertEqual(report.answers, 5)
        XCTAssertEqual(report.skipped, 1)
        XCTAssertEqual(report.raters, 2)
        let exp = report.models[0]
        XCTAssertEqual(exp.model, "model-1")
        XCTAssertEqual(exp.ratings, 5)
        // Correctness 8, 7, 9, 6, 10: mean 8, s^2 = 10/4, half width t(.975, 4) sqrt(2.5 / 5)
        // = 2.7764451 * 0.7071068 = 1.9632432.
        let correctness = try XCTUnwrap(exp.correctness)
        XCTAssertEqual(correctness.mean, 8, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(correctness.lower), 8 - 1.9632432, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(correctness.upper), 8 + 1.9632432, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(exp.completeness).mean, 39.0 / 5, accuracy: 1e-12)
        // Exp-BLIP most complete in 4 of 5 (bob's face 2 went to Cat-BLIP), least in 1.
        XCTAssertEqual(exp.mostComplete, StudyReport.Share(count: 4, of: 5, fraction: 0.8))
        XCTAssertEqual(exp.leastComplete.count, 1)
        XCTAssertEqual(report.models[1].mostComplete.count, 1)
        XCTAssertEqual(report.models[1].leastComplete.count, 4)
        XCTAssertEqual(try XCTUnwrap(report.models[1].correctness).mean, 28.0 / 5, accuracy: 1e-12)

        // Emotion split: happy = faces 1 and 3 (alice f1, bob f1, bob f3), sad = face 2.
        XCTAssertEqual(report.byEmotion.map(\.emotion), ["happy", "sad"])
        XCTAssertEqual(report.byEmotion.map(\.answers), [3, 2])
        XCTAssertEqual(try XCTUnwrap(report.byEmotion[0].models[0].correctness).mean, 9, accuracy: 1e-12)
        XCTAssertEqual(report.byEmotion[1].models[1].mostComplete.count, 1)

        // Correctness units rated twice: (f1,Exp) 8,9  (f1,Cat) 6,5  (f2,Exp) 7,6  (f2,Cat) 7,8.
        // D_o = (1/8) * 4 * 2 = 1; sum x = 56, sum x^2 = 404, D_e = (2*8*404 - 2*56^2) / (8*7) = 24/7;
        // alpha = 1 - 7/24 = 17/24.
        XCTAssertEqual(report.agreement.pairableUnits, 4)
        XCTAssertEqual(try XCTUnwrap(report.agreement.correctness), 17.0 / 24, accuracy: 1e-12)
        XCTAssertNotNil(report.agreement.completeness)

        let text = report.renderText()
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        XCTAssertFalse(text.contains("~"), "nothing had to be cut to fit:\n\(text)")
        XCTAssertTrue(text.contains("8.00 [6.04, 9.96]"), text)
        XCTAssertTrue(text.contains("80.00%"), text)
        XCTAssertTrue(text.contains("0.708"), text)
        let json = try JSONSerialization.jsonObject(with: Data(try report.renderJSON().utf8)) as? [String: Any]
        XCTAssertEqual((json?["models"] as? [[String: Any]])?.count, 2)

        let status = try store.status(study: "pilot")
        XCTAssertEqual(status.map(\.rater), ["alice", "bob"])
        XCTAssertEqual(status[0].rated, 2)
        XCTAssertEqual(status[0].skipped, 1)
        XCTAssertEqual(status[1].progress.description, "3 / 3")
    }

    /// The CSV must read back field for field with an RFC 4180 reader (Python's csv module, which is
    /// what pandas' C parser agrees with), commas, quotes and line breaks in captions and comments
    /// included; the JSON must parse to the same records.
    func testExportReadsBackInPython() throws {
        let store = try makeStore(try temporaryDirectory(self))
        _ = try makeStudy(store)
        let alice = try store.openRaterSession(study: "pilot", rater: "alice")
        try submitBySlot(alice, position: 1, [(8, 9), (6, 4)], comment: "line one,\nline \"two\"")
        try alice.skip(position: 0, reason: "occluded")
        let rows = try store.exportRows(study: "pilot")
        XCTAssertEqual(rows.count, 4)
        let csv = StudyExport.csv(rows)
        XCTAssertTrue(csv.hasPrefix("study,rater,face,image_id,"))
        XCTAssertTrue(csv.contains("\"sad, \"\"teary\"\", eyes\""))

        guard let python = findExecutable("python3") else { throw XCTSkip("python3 not found") }
        let script = """
            import csv, io, json, sys
            data = sys.stdin.read().split("\\u0000")
            rows = list(csv.DictReader(io.StringIO(data[0], newline="")))
            records = json.loads(data[1])
            print(json.dumps({"csv": rows, "json": records}))
            """
        let output = try runProgram(python, ["-c", script], input: csv + "\u{0}" + (try StudyExport.json(rows)))
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let csvRows = try XCTUnwrap(parsed["csv"] as? [[String: String]])
        let jsonRows = try XCTUnwrap(parsed["json"] as? [[String: Any]])
        XCTAssertEqual(csvRows.count, rows.count)
        XCTAssertEqual(jsonRows.count, rows.count)
        for (index, row) in rows.enumerated() {
            XCTAssertEqual(csvRows[index]["caption"], row.caption)
            XCTAssertEqual(csvRows[index]["comment"], row.comment ?? "")
            XCTAssertEqual(csvRows[index]["correctness"], row.correctness.map(String.init) ?? "")
            XCTAssertEqual(csvRows[index]["most_complete"], row.mostComplete.map { $0 ? "1" : "0" } ?? "")
            XCTAssertEqual(csvRows[index]["skipped_reason"], row.skippedReason ?? "")
            XCTAssertEqual(csvRows[index]["submitted_at"], row.submittedAt)
            XCTAssertEqual(Set(csvRows[index].keys), Set(ExportRow.columns))
            XCTAssertEqual(jsonRows[index]["caption"] as? String, row.caption)
            XCTAssertEqual(jsonRows[index]["comment"] as? String, row.comment)
            XCTAssertEqual(jsonRows[index]["correctness"] as? Int, row.correctness)
            XCTAssertEqual(jsonRows[index]["most_complete"] as? Bool, row.mostComplete)
            if row.correctness == nil { XCTAssertTrue(jsonRows[index]["correctness"] is NSNull) }
        }
    }
}
