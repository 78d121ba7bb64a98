import Foundation
import TerminalTesting
import XCTest

/// Issue 14's explorer findings as a researcher meets them, in tmux at 80x24 with the real
/// `facecap` and a tiny fixture model over a folder holding two faces, a truncated PNG and a WebP:
/// C captions the whole folder and the status line settles by itself (items 5, 9); the unreadable
/// face is marked and w lists it with the skipped WebP (item 10; facecap reads PNG and JPEG). Screens: .build/test-logs/explorer-trips/.
final class ExplorerTripsEndToEndTests: XCTestCase {
    func testCaptionAllWarningsAndASettledStatusLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-trips-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let samples = FacecapProcess.repo.appendingPathComponent("SampleFaces")
        for (name, sample) in [("a_face.png", "face_01.png"), ("b_face.png", "face_06.png")] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(sample), to: folder.appendingPathComponent(name))
        }
        let png = try Data(contentsOf: samples.appendingPathComponent("face_01.png"))
        try png.prefix(300).write(to: folder.appendingPathComponent("c_broken.png"))
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("d_photo.webp"))

        let logs = FacecapProcess.repo.appendingPathComponent(".build/test-logs/explorer-trips")
        guard let tmux = TmuxDriver(logDir: logs) else { throw XCTSkip("tmux is not installed") }
        let model = FacecapProcess.fixtures.appendingPathComponent("parity/tiny-f32").path
        let command = "env TERM=xterm-256color LC_ALL=C.UTF-8 \(TmuxDriver.quote(try FacecapProcess.executable.path)) explore "
            + "\(TmuxDriver.quote(folder.path)) --only-models --models \(TmuxDriver.quote(model)) "
            + "--cache \(TmuxDriver.quote(folder.appendingPathComponent("cache.sqlite").path)); echo FACECAP-EXIT=$?; sleep 5"
        try tmux.start(command, width: 80, height: 24)
        var screen = try tmux.waitFor("start", timeout: 60) { $0.contains("tiny-f32") && $0.contains("warnings (w)") }
        XCTAssertTrue(screen.contains("2 warnings (w)") || screen.contains("1 warning (w)"), screen)

        try tmux.keys("C")
        // Every readable face captioned, the broken one marked, and the status line settled
        // without another key (no "running" left once the work is done).
        screen = try tmux.waitFor("captioned-all", timeout: 60) { s in
            s.contains("captioned 2/3") && !s.contains("running") && s.contains("✗")
        }
        XCTAssertTrue(screen.contains("captioned 2/3"), screen)
        XCTAssertFalse(screen.contains("running"), "status line settled by itself:\n\(screen)")
        let brokenRow = screen.split(separator: "\n").first { $0.contains("c_broken.png") }
        XCTAssertEqual(brokenRow?.first, "✗", "the unreadable face is marked:\n\(screen)")
        XCTAssertTrue(screen.contains("2 warnings (w)"), screen)

        try tmux.keys("w")
        screen = try tmux.waitFor("warnings") { $0.contains("Dataset warnings") }
        XCTAssertTrue(screen.contains("d_photo.webp"), "the skipped WebP is named:\n\(screen)")
        XCTAssertTrue(screen.contains("c_broken.png:"), "the unreadable face and why:\n\(screen)")
        try tmux.keys("x", "q")
        screen = try tmux.waitFor("quit") { $0.contains("FACECAP-EXIT=") }
        XCTAssertTrue(screen.contains("FACECAP-EXIT=0"), screen)
    }
}
