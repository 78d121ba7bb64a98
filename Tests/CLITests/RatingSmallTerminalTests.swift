import Foundation
import XCTest

/// Issue 14, item 1, as the rater met it in tmux: at 70x20 the screen says "enlarge the terminal",
/// and "3456" Enter typed there saved the face. Now only q acts there, and asks where it can be seen.
final class RatingSmallTerminalTests: XCTestCase {
    func testKeysTypedOnTheTooSmallScreenSaveNothing() throws {
        let study = try StudyFixture(name: "small", seed: 5)
        let pane = try study.ratePane(rater: "bob", logName: "rating-small")
        try pane.waitFor("Press Enter to start", shot: "instructions")
        try pane.keys("Enter")
        try pane.waitFor("face 1", "A correctness [  ]", shot: "face1")

        try pane.driver.resize(width: 70, height: 20)
        try pane.waitFor("enlarge the terminal", shot: "small")
        try pane.keys("3", "4", "5", "6", "Enter")
        try pane.driver.resize(width: 80, height: 24)
        let back = try pane.waitFor("face 1", "done 0 / ", shot: "back")
        XCTAssertTrue(back.contains("A correctness [  ]  completeness [  ]"), "nothing typed blind:\n\(back)")

        try pane.keys("7")
        try pane.waitFor("A correctness [ 7]", shot: "typed")
        try pane.driver.resize(width: 70, height: 20)
        try pane.waitFor("enlarge the terminal", shot: "small-again")
        try pane.keys("q")
        try pane.waitFor("This face is not saved. Quit anyway?", "y quits", shot: "small-quit-asked")
        try pane.keys("n")
        try pane.driver.resize(width: 80, height: 24)
        try pane.waitFor("face 1", "A correctness [ 7]", shot: "kept")
        try pane.keys("q", "y")
        try pane.waitFor("EXITED 0", shot: "quit")
        XCTAssertEqual(try study.exportRows().filter { $0["rater"] == "bob" && $0["correctness"] != "" }.count, 0,
                       "no answer saved")
    }
}
