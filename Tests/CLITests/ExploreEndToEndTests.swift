import Foundation
import TerminalTesting
import XCTest

/// The real `facecap` explorer with the demo model pack on the bundled sample faces, in tmux:
/// what a new user sees after `scripts/run`. Face drawn, the four captioners' names and captions,
/// navigation, search, relayout at 80x24, and a clean exit that restores the terminal.
/// Screens are kept in .build/test-logs/facecap-explore/.
final class ExploreEndToEndTests: XCTestCase {
    static func halfBlocks(_ screen: String) -> Int { screen.filter { $0 == "▀" }.count }

    func testExploreSampleFacesWithTheDemoModels() throws {
        let binary = try FacecapProcess.executable.path
        let models = try FileManager.default.contentsOfDirectory(atPath: FacecapProcess.repo.appendingPathComponent("Models").path)
            .filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
        XCTAssertEqual(Set(models), ["BLIP-2", "AU-BLIP", "Emot-BLIP", "Exp-BLIP", "DFER-CLIP"], "the demo pack")
        let logs = FacecapProcess.repo.appendingPathComponent(".build/test-logs/facecap-explore")
        guard let tmux = TmuxDriver(logDir: logs) else { throw XCTSkip("tmux is not installed") }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-e2e-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: cache) }
        let command = "cd \(TmuxDriver.quote(FacecapProcess.repo.path)) && env TERM=xterm-256color LC_ALL=C.UTF-8 COLORTERM= "
            + "\(TmuxDriver.quote(binary)) explore SampleFaces --cache \(TmuxDriver.quote(cache.path)); echo FACECAP-EXIT=$?; sleep 5"
        try tmux.start(command, width: 100, height: 30)

        // The first face, every model's name, and every pane finished (a timing shown, nothing running).
        var screen = try tmux.waitFor("start-100x30", timeout: 120) { s in
            Self.halfBlocks(s) > 300 && models.allSatisfy(s.contains) && s.contains("captioned") && !s.contains("captioned 0/")
        }
        XCTAssertGreaterThan(Self.halfBlocks(screen), 300, "face drawn:\n\(screen)")
        for model in models { XCTAssertTrue(screen.contains(model), "\(model):\n\(screen)") }
        XCTAssertTrue(screen.contains("face_01.png"), screen)
        XCTAssertTrue(screen.contains("emotion: happiness"), "ground truth shown:\n\(screen)")
        XCTAssertTrue(screen.contains("AU12 lip corner puller"), "AUs with FACS names:\n\(screen)")
        // DFER-CLIP (a recognizer, not a captioner) has the recognizer pane, judged against the truth.
        screen = try tmux.waitFor("recognizer", timeout: 60) { $0.contains("top: ") && $0.contains("truth: happiness") }
        XCTAssertTrue(screen.contains("%"), "class bars:\n\(screen)")
        XCTAssertTrue(screen.contains("The face shows") || screen.contains("face"), "captions shown:\n\(screen)")
        let coloured = try tmux.capture(escapes: true)
        XCTAssertTrue(coloured.contains("38;5;") && coloured.contains("48;5;"), "256-colour half blocks")

        // Navigation.
        try tmux.keys("j")
        screen = try tmux.waitFor("after-j") { $0.contains("face_02.png") && $0.contains("2/") }
        XCTAssertTrue(screen.contains("2/"), screen)
        try tmux.keys("G")
        screen = try tmux.waitFor("after-G") { $0.contains("astronaut") }
        XCTAssertTrue(screen.contains("astronaut"), "last item is the photograph:\n\(screen)")
        try tmux.keys("g")
        screen = try tmux.waitFor("after-g") { $0.contains(" 1/") }

        // Search by file name narrows the list.
        try tmux.keys("/")
        for c in "face_1" { try tmux.keys(String(c)) }
        try tmux.keys("Enter")
        // Wait for the list's redraw too, not only the header's (a capture can land between them).
        screen = try tmux.waitFor("search") { $0.contains("search: face_1") && !$0.contains("face_02.png") }
        XCTAssertTrue(screen.contains("face_10.png"), screen)
        XCTAssertFalse(screen.contains("face_02.png"), "search hides other faces:\n\(screen)")

        // 80x24: relayout, face and names still there.
        try tmux.resize(width: 80, height: 24)
        screen = try tmux.waitFor("resized-80x24", timeout: 30) { s in
            Self.halfBlocks(s) > 150 && models.allSatisfy(s.contains)
        }
        XCTAssertGreaterThan(Self.halfBlocks(screen), 150, screen)
        for model in models { XCTAssertTrue(screen.contains(model), "\(model) at 80x24:\n\(screen)") }

        // q restores the terminal.
        try tmux.keys("q")
        screen = try tmux.waitFor("after-quit", timeout: 30) { $0.contains("FACECAP-EXIT=") }
        XCTAssertTrue(screen.contains("FACECAP-EXIT=0"), screen)
        XCTAssertEqual(Self.halfBlocks(screen), 0, screen)
        XCTAssertEqual(try tmux.paneFlag("#{alternate_on}"), "0")
    }
}
