import Foundation
import TerminalTesting
import XCTest

/// The three "why did it say that" instruments in the real explorer at 80x24, with the demo model
/// pack on the sample faces, driven by keys in tmux: the attention map (`a`, and word by word in
/// the full-caption view), confidence shading and ordering (`c`, `s`), and the occlusion probe (`o`)
/// with its Esc. Screens are kept in .build/test-logs/facecap-why/.
final class WhyEndToEndTests: XCTestCase {
    /// The face's cells (with their colours) on an escaped capture: every line's half blocks.
    static func faceCells(_ escaped: String) -> String {
        escaped.split(separator: "\n").map { line in line.contains("▀") ? String(line) : "" }.joined(separator: "\n")
    }

    func testAttentionConfidenceAndOcclusionByKeysAt80x24() throws {
        let binary = try FacecapProcess.executable.path
        let logs = FacecapProcess.repo.appendingPathComponent(".build/test-logs/facecap-why")
        guard let tmux = TmuxDriver(logDir: logs) else { throw XCTSkip("tmux is not installed") }
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-why-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: cache) }
        let command = "cd \(TmuxDriver.quote(FacecapProcess.repo.path)) && env TERM=xterm-256color LC_ALL=C.UTF-8 COLORTERM=truecolor "
            + "\(TmuxDriver.quote(binary)) explore SampleFaces --only-models --models Emot-BLIP,Exp-BLIP --cache \(TmuxDriver.quote(cache.path)); echo FACECAP-EXIT=$?; sleep 5"
        try tmux.start(command, width: 80, height: 24)
        // Two of the demo pack's four captioners keep the test short; the probe runs every loaded model.
        let models = ["Emot-BLIP", "Exp-BLIP"]
        var screen = try tmux.waitFor("captioned", timeout: 120) { s in
            models.allSatisfy(s.contains) && s.contains("captioned") && !s.contains("captioned 0/") && !s.contains("token ")
                && !s.contains("encoding")
        }
        let plainFace = Self.faceCells(try tmux.capture(escapes: true))

        // 1. `a`: the focused model's map over the face, recorded on demand, labelled as attention.
        try tmux.keys("a")
        // The map needs the caption decoded again with attention recorded: wait for its label under the
        // face, not only the header (on a loaded machine the capture can land mid-decode).
        screen = try tmux.waitFor("attention-map", timeout: 60) { $0.contains("map: Emot-BLIP") && $0.contains("heat: attention, not proof") }
        XCTAssertTrue(screen.contains("map: Emot-BLIP"), screen)
        XCTAssertTrue(screen.contains("heat: attention, not proof"), "said under the face:\n\(screen)")
        XCTAssertNotEqual(Self.faceCells(try tmux.capture(escapes: true)), plainFace, "the heat is blended into the face's cells")

        // Word by word in the full-caption view: the face changes with the word.
        try tmux.keys("Enter")
        screen = try tmux.waitFor("full-caption") { $0.contains("h/l word") && $0.contains("word 1/") }
        XCTAssertTrue(screen.contains("word 1/"), screen)
        XCTAssertTrue(screen.contains("heat: attention, not proof"), screen)
        let firstWord = Self.faceCells(try tmux.capture(escapes: true))
        var moved = false
        for _ in 0..<6 where !moved {
            try tmux.keys("l")
            usleep(300_000)
            moved = Self.faceCells(try tmux.capture(escapes: true)) != firstWord
        }
        screen = try tmux.waitFor("full-caption-moved") { !$0.contains("word 1/") }
        XCTAssertTrue(moved, "some later word's map differs from the first word's:\n\(screen)")
        try tmux.keys("x")
        screen = try tmux.waitFor("closed") { !$0.contains("h/l word") }

        // 2. `c` shades by confidence; `s` orders the list by it.
        try tmux.keys("c")
        screen = try tmux.waitFor("confidence") { $0.contains("shading: confidence") }
        XCTAssertTrue(screen.contains("shading: confidence"), screen)
        // Exp-BLIP's "person" (p 0.27 on this face) is underlined once its caption is in.
        var underlined = false
        for _ in 0..<300 where !underlined {
            underlined = try tmux.capture(escapes: true).contains("\u{1b}[4m")
            if !underlined { usleep(100_000) }
        }
        let shaded = try tmux.capture()
        XCTAssertTrue(underlined, "unsure words are underlined:\n\(shaded)")
        try tmux.keys("s")
        screen = try tmux.waitFor("ordered") { $0.contains("sorted: least sure word") }
        XCTAssertTrue(screen.contains("sorted: least sure word"), screen)
        try tmux.keys("s", "s", "a", "c")
        screen = try tmux.waitFor("back-to-normal") { !$0.contains("sorted:") && !$0.contains("shading:") && !$0.contains("map:") }

        // 3. `o`: hide the lower face, caption with every model, compare.
        try tmux.keys("o")
        screen = try tmux.waitFor("probe") { $0.contains("Occlusion probe") && $0.contains("upper") }
        XCTAssertTrue(screen.contains("Occlusion probe"), screen)
        let greyed = Self.faceCells(try tmux.capture(escapes: true))
        try tmux.keys("Tab")
        screen = try tmux.waitFor("probe-lower") { $0.contains("lower") }
        XCTAssertNotEqual(Self.faceCells(try tmux.capture(escapes: true)), greyed, "the region shown on the face moves with the choice")
        try tmux.keys("Enter")
        screen = try tmux.waitFor("probe-done", timeout: 120) { s in
            s.components(separatedBy: "now: ").count - 1 >= 1 && !s.contains("token ") && !s.contains("encoding") && !s.contains("queued")
        }
        XCTAssertTrue(screen.contains("was: "), screen)
        XCTAssertTrue(screen.contains("new word") || screen.contains("· same"), screen)

        // A box run, stopped with Esc while it runs: the probe says so; Esc again closes.
        try tmux.keys("5", "l", "l", "J")
        screen = try tmux.waitFor("probe-box") { $0.contains("box 0.") }
        try tmux.keys("Enter")
        try tmux.keys("Escape")
        screen = try tmux.waitFor("probe-cancelled", timeout: 30) { $0.contains("cancelled (Enter") }
        XCTAssertTrue(screen.contains("cancelled (Enter"), screen)
        try tmux.keys("Escape")
        screen = try tmux.waitFor("probe-closed") { !$0.contains("Occlusion probe") }

        try tmux.keys("q")
        screen = try tmux.waitFor("after-quit", timeout: 30) { $0.contains("FACECAP-EXIT=") }
        XCTAssertTrue(screen.contains("FACECAP-EXIT=0"), screen)
    }
}
