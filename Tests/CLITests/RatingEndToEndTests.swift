import Foundation
import XCTest

/// `facecap rate` driven in tmux at 80x24 as a rater would, then the owner's report and export
/// checked against what was typed. Every screen lands in .build/test-logs/rating-e2e/.
final class RatingEndToEndTests: XCTestCase {
    /// The caption side of the screen: what follows the face's border on each row.
    func captionSide(_ screen: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard let border = line.firstIndex(of: "│") else { return "" }
            return String(line[line.index(after: border)...]).trimmingCharacters(in: .whitespaces)
        }
    }

    /// The first text row under caption `letter`'s score line.
    func captionText(_ letter: String, in screen: String) -> String? {
        let side = captionSide(screen)
        guard let row = side.firstIndex(where: { $0.hasPrefix("\(letter) correctness") }), row + 1 < side.count
        else { return nil }
        return side[row + 1]
    }

    func assertBlind(_ screen: String, file: StaticString = #filePath, line: UInt = #line) {
        for name in StudyFixture.models + ["tiny", "model-1", "model-2"] {
            XCTAssertFalse(screen.contains(name), "\(name) visible before reveal:\n\(screen)", file: file, line: line)
        }
    }

    func testRateEveryFaceBlindThenReportAndExportMatchTheKeys() throws {
        let study = try StudyFixture(name: "e2e", seed: 11, instructions: "Rate these faces kindly.\n")
        XCTAssertEqual(study.faces, 5)
        let pane = try study.ratePane(rater: "alice", logName: "rating-e2e")
        var screens: [String] = []

        screens.append(try pane.waitFor("Rate these faces kindly.", "Press Enter to start with face 1 of 5",
                                        "done 0 / 5", shot: "instructions"))
        try pane.keys("Enter")
        let first = try pane.waitFor("face 1", "done 0 / 5", "A correctness [  ]", "B correctness [  ]", shot: "face1")
        screens.append(first)
        // Typed per face, in display order: A correctness, A completeness, B correctness, B completeness.
        var typed: [Int: [Int]] = [:]
        var shownCaption: [Int: [String: String]] = [1: [:]]
        for letter in ["A", "B"] { shownCaption[1]![letter] = captionText(letter, in: first) }

        try pane.keys("7", "9", "4", "2")
        screens.append(try pane.waitFor("A correctness [ 7]  completeness [ 9]", "B correctness [ 4]  completeness [ 2]",
                                        shot: "face1-typed"))
        try pane.keys("Enter")
        typed[1] = [7, 9, 4, 2]

        // Face 2: both captions equally complete -> the screen asks which is the most complete.
        screens.append(try pane.waitFor("face 2", "done 1 / 5", shot: "face2"))
        try pane.keys("6", "5", "8", "5", "Enter")
        screens.append(try pane.waitFor("A, B tie for MOST complete", "press A or B", shot: "face2-tie"))
        try pane.keys("b")

        // Face 3: start typing, then go back to face 2 and change it.
        screens.append(try pane.waitFor("face 3", "done 2 / 5", shot: "face3"))
        try pane.keys("3", "u")
        screens.append(try pane.waitFor("face 2", "A correctness [ 6]  completeness [ 5]",
                                        "B correctness [ 8]  completeness [ 5]", shot: "face2-reopened"))
        try pane.keys("9", "Enter")   // A correctness 6 -> 9; the earlier tie choice (B) stands
        typed[2] = [9, 5, 8, 5]
        // Back on face 3 with the half-typed score kept; skip it with a reason.
        screens.append(try pane.waitFor("face 3", "done 2 / 5", "A correctness [ 3]", shot: "face3-draft"))
        try pane.keys("s")
        try pane.type("too dark")
        screens.append(try pane.waitFor("skip this face because: too dark_", shot: "face3-skip"))
        try pane.keys("Enter")

        // Face 4 with a comment; 0 means 10.
        screens.append(try pane.waitFor("face 4", "done 3 / 5", shot: "face4"))
        try pane.keys("c")
        try pane.type("smile, eyes \"closed\"")
        try pane.keys("Enter", "0", "1", "2", "3")
        screens.append(try pane.waitFor("A correctness [10]  completeness [ 1]", "comment: smile, eyes \"closed\"",
                                        shot: "face4-typed"))
        try pane.keys("Enter")
        typed[4] = [10, 1, 2, 3]

        screens.append(try pane.waitFor("face 5", "done 4 / 5", shot: "face5"))
        try pane.keys("5", "6", "7", "8", "Enter")
        typed[5] = [5, 6, 7, 8]
        screens.append(try pane.waitFor("Done, thank you!", "done 5 / 5", shot: "done"))
        for screen in screens { assertBlind(screen) }

        try pane.keys("q")
        let after = try pane.waitFor("EXITED 0", shot: "after-quit")
        XCTAssertTrue(after.contains("rater alice: 5 / 5 faces done in study e2e"), after)
        XCTAssertFalse(try pane.alternateScreen(), "the terminal is back on the normal screen")

        // The export holds exactly what was typed, per face and letter.
        let rows = try study.exportRows().filter { $0["rater"] == "alice" }
        XCTAssertEqual(rows.count, 10, "one row per face and model")
        func row(_ face: Int, _ letter: String) -> [String: String]? {
            rows.first { $0["face"] == "\(face)" && $0["letter"] == letter }
        }
        for (face, values) in typed {
            for (i, letter) in ["A", "B"].enumerated() {
                let r = try XCTUnwrap(row(face, letter), "face \(face) \(letter)")
                XCTAssertEqual(r["correctness"], "\(values[2 * i])", "face \(face) \(letter)")
                XCTAssertEqual(r["completeness"], "\(values[2 * i + 1])", "face \(face) \(letter)")
                XCTAssertTrue(r["model"] == "model-1" || r["model"] == "model-2", "blind export: \(r["model"] ?? "")")
            }
        }
        // Most/least complete: derived where distinct, the rater's pick (B) on the tie.
        let expectedMost: [Int: String] = [1: "A", 2: "B", 4: "B", 5: "B"]
        for (face, most) in expectedMost {
            XCTAssertEqual(row(face, most)?["most_complete"], "1", "face \(face)")
            XCTAssertEqual(row(face, most)?["least_complete"], "0", "face \(face)")
            let other = most == "A" ? "B" : "A"
            XCTAssertEqual(row(face, other)?["most_complete"], "0", "face \(face)")
            XCTAssertEqual(row(face, other)?["least_complete"], "1", "face \(face)")
        }
        XCTAssertEqual(row(2, "A")?["revision"], "2", "face 2 was reopened and saved again")
        XCTAssertEqual(row(3, "A")?["skipped_reason"], "too dark")
        XCTAssertEqual(row(3, "A")?["correctness"], "")
        XCTAssertEqual(row(4, "B")?["comment"], "smile, eyes \"closed\"")
        // The caption shown under each letter is the caption exported for that letter.
        for letter in ["A", "B"] {
            let shown = try XCTUnwrap(shownCaption[1]?[letter] ?? nil)
            let exported = row(1, letter)?["caption"] ?? ""
            let printable = String(exported.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
            XCTAssertTrue(printable.hasPrefix(shown.prefix(12)), "screen \(shown) vs export \(exported)")
        }

        // The report's figures are the means of what was typed for each model.
        let report = try JSONSerialization.jsonObject(
            with: Data(try study.run(["study", "report", "e2e", "--format", "json"]).stdout.utf8)) as! [String: Any]
        XCTAssertEqual(report["answers"] as? Int, 4)
        XCTAssertEqual(report["skipped"] as? Int, 1)
        for model in report["models"] as! [[String: Any]] {
            let number = "\(model["model_number"] as! Int)"
            let mine = rows.filter { $0["model_number"] == number && $0["skipped_reason"] == "" }
            XCTAssertEqual(model["ratings"] as? Int, 4)
            let correctness = mine.map { Double($0["correctness"]!)! }.reduce(0, +) / 4
            let completeness = mine.map { Double($0["completeness"]!)! }.reduce(0, +) / 4
            XCTAssertEqual((model["correctness"] as? [String: Any])?["mean"] as? Double ?? -1, correctness, accuracy: 1e-9)
            XCTAssertEqual((model["completeness"] as? [String: Any])?["mean"] as? Double ?? -1, completeness, accuracy: 1e-9)
            let most = mine.filter { $0["most_complete"] == "1" }.count
            XCTAssertEqual((model["most_complete"] as? [String: Any])?["count"] as? Int, most)
        }
        let text = try study.run(["study", "report", "e2e"]).stdout
        XCTAssertTrue(text.contains("Study e2e: 5 faces, 1 rater, 4 rated answers, 1 skipped"), text)
        XCTAssertTrue(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let status = try study.run(["study", "status", "e2e"]).stdout
        XCTAssertTrue(status.contains("alice") && status.contains("5 / 5"), status)

        // Revealed, the export names the models; the letters and numbers stay.
        _ = try study.run(["study", "reveal", "e2e"])
        let revealed = try study.exportRows()
        XCTAssertEqual(Set(revealed.map { $0["model"]! }), Set(StudyFixture.models))
        XCTAssertEqual(revealed.map { $0["correctness"]! }, rows.map { $0["correctness"]! })
    }
}
