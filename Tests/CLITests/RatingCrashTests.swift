import Foundation
import XCTest

/// kill -9 in the middle of a face: the faces submitted before it are on disk, the half-typed one
/// is not, and the next session resumes at it.
final class RatingCrashTests: XCTestCase {
    func testKillNineLosesOnlyTheFaceOnScreen() throws {
        let study = try StudyFixture(name: "crash", seed: 5)
        let pidFile = study.directory.appendingPathComponent("rate.pid").path
        let pane = try study.ratePane(rater: "bob", logName: "rating-crash", pidFile: pidFile)
        try pane.waitFor("Press Enter to start with face 1 of 5", shot: "instructions")
        try pane.keys("Enter")
        try pane.waitFor("face 1", "done 0 / 5", shot: "face1")
        try pane.keys("1", "2", "3", "4", "Enter")
        try pane.waitFor("face 2", "done 1 / 5", shot: "face2")
        try pane.keys("5", "6", "7", "8", "Enter")
        try pane.waitFor("face 3", "done 2 / 5", shot: "face3")
        try pane.keys("9", "8")
        try pane.waitFor("A correctness [ 9]  completeness [ 8]", shot: "face3-half-typed")

        let pid = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0 && Date() < deadline { usleep(50_000) }
        XCTAssertNotEqual(kill(pid, 0), 0, "the rating process is gone")

        let rows = try study.exportRows()
        XCTAssertEqual(Set(rows.map { $0["face"]! }), ["1", "2"], "face 3 was never submitted")
        func scores(_ face: Int) -> [String] {
            rows.filter { $0["face"] == "\(face)" }.sorted { $0["letter"]! < $1["letter"]! }
                .flatMap { [$0["correctness"]!, $0["completeness"]!] }
        }
        XCTAssertEqual(scores(1), ["1", "2", "3", "4"])
        XCTAssertEqual(scores(2), ["5", "6", "7", "8"])
        XCTAssertTrue(try study.run(["study", "status", "crash"]).stdout.contains("2 / 5"))

        let again = try study.ratePane(rater: "bob", logName: "rating-crash-resumed")
        try again.waitFor("Press Enter to resume at face 3 of 5 (done 2 / 5).", shot: "instructions")
        try again.keys("Enter")
        try again.waitFor("face 3", "done 2 / 5", "A correctness [  ]  completeness [  ]", shot: "face3-resumed")
        try again.keys("q")
        try again.waitFor("EXITED 0", "rater bob: 2 / 5 faces done in study crash", shot: "after-quit")
        XCTAssertFalse(try again.alternateScreen())
    }

    /// An SSH drop (SIGHUP) mid-face: the terminal is given back, the exit status says which signal,
    /// and the submitted face is kept.
    func testHangUpRestoresTheTerminal() throws {
        let study = try StudyFixture(name: "hup", seed: 3)
        let pane = try study.ratePane(rater: "carol", logName: "rating-hangup")
        try pane.waitFor("Press Enter to start", shot: "instructions")
        try pane.keys("Enter", "2", "4", "6", "8", "Enter")
        try pane.waitFor("face 2", "done 1 / 5", shot: "face2")
        try pane.keys("3")
        try pane.waitFor("A correctness [ 3]", shot: "face2-half-typed")
        XCTAssertTrue(try pane.alternateScreen())
        let shell = try XCTUnwrap(try pane.panePID())
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let rate = try XCTUnwrap(children.split(separator: " ").first.flatMap { Int32($0) })
        XCTAssertEqual(kill(rate, SIGHUP), 0)
        try pane.waitFor("EXITED 129", "rater carol: 1 / 5 faces done", shot: "after-hangup")
        XCTAssertFalse(try pane.alternateScreen())
        XCTAssertEqual(Set(try study.exportRows().map { $0["face"]! }), ["1"])
    }
}
