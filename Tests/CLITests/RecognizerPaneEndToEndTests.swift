import Foundation
import TerminalTesting
import XCTest

/// The real `facecap` explorer in tmux with a recognizer beside a captioner, on a class/clip dataset
/// holding a clip (20 frames) and a still: the recognizer pane's bars for both, the top class against
/// the ground truth, and playback (p) advancing the frames with the pane following the frame window.
/// Screens are kept in .build/test-logs/recognizer-pane/.
final class RecognizerPaneEndToEndTests: XCTestCase {
    static func frameShown(_ screen: String) -> Int? {
        guard let range = screen.range(of: #"· frame \d+/"#, options: .regularExpression) else { return nil }
        return Int(screen[range].dropFirst("· frame ".count).dropLast())
    }

    func testPaneShowsBarsForAStillAndAClipAndFollowsPlayback() throws {
        let binary = try FacecapProcess.executable.path
        let fixtures = FacecapProcess.fixtures.appendingPathComponent("recognition")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-recognizer-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let clip = root.appendingPathComponent("data/happiness/clip_01")
        try fm.createDirectory(at: clip, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: fixtures.appendingPathComponent("clip").path) {
            try fm.copyItem(at: fixtures.appendingPathComponent("clip/\(name)"), to: clip.appendingPathComponent(name))
        }
        try fm.createDirectory(at: root.appendingPathComponent("data/sadness"), withIntermediateDirectories: true)
        try fm.copyItem(at: fixtures.appendingPathComponent("still.png"), to: root.appendingPathComponent("data/sadness/still.png"))
        let recognizer = root.appendingPathComponent("DFER-CLIP-tiny")
        try fm.copyItem(at: fixtures.appendingPathComponent("tiny-f32"), to: recognizer)
        let captioner = FacecapProcess.fixtures.appendingPathComponent("parity/tiny-f32")

        let logs = FacecapProcess.repo.appendingPathComponent(".build/test-logs/recognizer-pane")
        guard let tmux = TmuxDriver(logDir: logs) else { throw XCTSkip("tmux is not installed") }
        let command = "cd \(TmuxDriver.quote(FacecapProcess.repo.path)) && env TERM=xterm-256color LC_ALL=C.UTF-8 COLORTERM= "
            + "\(TmuxDriver.quote(binary)) explore \(TmuxDriver.quote(root.appendingPathComponent("data").path)) --only-models "
            + "--models \(TmuxDriver.quote(captioner.path)),\(TmuxDriver.quote(recognizer.path)) "
            + "--cache \(TmuxDriver.quote(root.appendingPathComponent("cache.sqlite").path)); echo FACECAP-EXIT=$?; sleep 5"
        try tmux.start(command, width: 120, height: 40)

        // The clip: whole-clip recognition, one bar per class, the top class against the truth.
        var screen = try tmux.waitFor("clip", timeout: 60) { $0.contains("whole clip, 20 frames") && $0.contains("top: ") }
        XCTAssertTrue(screen.contains("DFER-CLIP-tiny"), screen)
        XCTAssertTrue(screen.contains("truth: happiness"), screen)
        for name in ["happiness", "sadness", "neutral", "anger", "surprise", "disgust", "fear"] {
            XCTAssertTrue(screen.components(separatedBy: "\n").contains { $0.contains(name) && $0.contains("%") },
                          "a bar for \(name):\n\(screen)")
        }
        XCTAssertTrue(screen.contains("tiny-f32"), "the caption pane beside it:\n\(screen)")
        XCTAssertEqual(Self.frameShown(screen), 1)

        // p plays: the frame advances and the pane names the frame window it recognised.
        try tmux.keys("p")
        screen = try tmux.waitFor("playing", timeout: 20) { s in (Self.frameShown(s) ?? 0) >= 4 && s.contains("▶") }
        let playing = Self.frameShown(screen) ?? 0
        XCTAssertTrue(screen.range(of: #"frames \d+-\d+ of 20"#, options: .regularExpression) != nil, screen)
        screen = try tmux.waitFor("still-playing", timeout: 20) { s in (Self.frameShown(s) ?? 0) != playing }
        try tmux.keys("p")
        screen = try tmux.waitFor("paused", timeout: 10) { !$0.contains("▶") }
        let paused = Self.frameShown(screen) ?? 0
        try tmux.keys(paused == 20 ? "," : ".")
        screen = try tmux.waitFor("stepped", timeout: 10) { Self.frameShown($0) == (paused == 20 ? 19 : paused + 1) }
        screen = try tmux.waitFor("window-recognised", timeout: 20) { $0.contains("top: ") }

        // The still: bars, no frame counter.
        try tmux.keys("j")
        screen = try tmux.waitFor("still", timeout: 30) { s in s.contains("still.png") && s.contains("truth: sadness") && s.contains("top: ") }
        XCTAssertNil(Self.frameShown(screen), screen)
        XCTAssertTrue(screen.components(separatedBy: "\n").contains { $0.contains("fear") && $0.contains("%") }, screen)

        try tmux.keys("q")
        screen = try tmux.waitFor("after-quit", timeout: 30) { $0.contains("FACECAP-EXIT=") }
        XCTAssertTrue(screen.contains("FACECAP-EXIT=0"), screen)
    }
}
