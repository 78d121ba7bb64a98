import Foundation
import XCTest
import TerminalTesting

/// The explorer in a real terminal (tmux): face drawn, model names and captions shown, navigation,
/// search, resize (100x30 -> 80x24 -> too small -> back), help, and a clean exit that restores the
/// terminal on q, Ctrl-C, SIGTERM and SIGHUP. Runs `explorer-demo` by default; point it at another
/// binary with FACECAP_EXPLORER_BINARY / FACECAP_EXPLORER_ARGS (space-separated) and name its
/// models in FACECAP_EXPLORER_MODELS (comma-separated). Demo-specific checks (exact captions,
/// the contempt/happiness disagreement) only run against the demo. Screens go to
/// $FACECAP_TEST_LOGS or .build/test-logs/explorer-e2e.
final class ExplorerEndToEndTests: XCTestCase {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let env = ProcessInfo.processInfo.environment

    var logDir: URL {
        (env["FACECAP_TEST_LOGS"].map { URL(fileURLWithPath: $0) } ?? Self.repoRoot.appendingPathComponent(".build/test-logs"))
            .appendingPathComponent("explorer-e2e")
    }

    var binary: String {
        if let b = env["FACECAP_EXPLORER_BINARY"] { return b }
        // The demo is built next to the test bundle (ExplorerTests depends on it).
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("explorer-demo")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests.path }
        return Self.repoRoot.appendingPathComponent(".build/debug/explorer-demo").path
    }

    var isDemo: Bool { env["FACECAP_EXPLORER_BINARY"] == nil }
    var arguments: String { env["FACECAP_EXPLORER_ARGS"] ?? "--themes \(Self.repoRoot.appendingPathComponent("Themes").path)" }
    var models: [String] { env["FACECAP_EXPLORER_MODELS"].map { $0.split(separator: ",").map(String.init) } ?? ["BLIP-2", "AU-BLIP", "Emot-BLIP", "Exp-BLIP"] }

    func command(pidFile: URL, latencyLog: URL) -> String {
        "cd '\(Self.repoRoot.path)' && env TERM=xterm-256color LC_ALL=C.UTF-8 COLORTERM= FACECAP_DEMO_PID_FILE='\(pidFile.path)' "
            + "FACECAP_LATENCY_LOG='\(latencyLog.path)' '\(binary)' \(arguments) \(isDemo ? "--stderr-log '\(pidFile.path).stderr'" : ""); echo FACECAP-EXIT=$? | tee '\(pidFile.path).exit'; sleep 5"
    }

    func driver() throws -> TmuxDriver {
        guard let d = TmuxDriver(logDir: logDir) else { throw XCTSkip("tmux is not installed; the end-to-end explorer test needs it") }
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary), "no explorer binary at \(binary)")
        return d
    }

    static func halfBlocks(_ screen: String) -> Int { screen.filter { $0 == "▀" }.count }

    func testBrowseSearchResizeAndQuit() throws {
        let tmux = try driver()
        let latencyLog = logDir.appendingPathComponent("latency.log")
        try? FileManager.default.removeItem(at: latencyLog)
        try tmux.start(command(pidFile: logDir.appendingPathComponent("pid"), latencyLog: latencyLog), width: 100, height: 30)

        // First screen: the face, every model's name, then the captions.
        var screen = try tmux.waitFor("start-100x30") { s in
            Self.halfBlocks(s) > 300 && self.models.allSatisfy(s.contains)
                && (!self.isDemo || (s.contains("The face shows happiness.") && s.contains("The face has raised cheeks and")))
        }
        XCTAssertGreaterThan(Self.halfBlocks(screen), 300, "face drawn with half blocks:\n\(screen)")
        for model in models { XCTAssertTrue(screen.contains(model), "\(model) missing:\n\(screen)") }
        XCTAssertTrue(screen.contains("1/"), "position in header")
        let coloured = try tmux.capture(escapes: true)
        XCTAssertTrue(coloured.contains("38;5;") && coloured.contains("48;5;"), "256-colour half blocks (TERM=xterm-256color, no COLORTERM)")
        if isDemo {
            XCTAssertTrue(screen.contains("The face has raised cheeks and"), screen)
            XCTAssertTrue(screen.contains("emotion: happiness"))
            XCTAssertTrue(screen.contains("AU12 lip corner puller (4)"))
        }

        // Navigation: j moves to the second face.
        try tmux.keys("j")
        // " 2/": the header's position ("token 12/40" in a pane must not pass for it).
        screen = try tmux.waitFor("after-j") { $0.contains(" 2/") }
        XCTAssertTrue(screen.contains(" 2/"), screen)
        if isDemo {
            screen = try tmux.waitFor("second-face-captioned") { $0.contains("The face shows sadness.") }
            XCTAssertTrue(screen.contains("faces/sadness_01.png"), screen)
        }
        try tmux.keys("G")
        screen = try tmux.waitFor("after-G") { $0.contains("16/16") || !self.isDemo }
        try tmux.keys("g")
        screen = try tmux.waitFor("after-g") { $0.contains(" 1/") }
        XCTAssertTrue(screen.contains(" 1/"), screen)

        // Search narrows the list by file name; the demo's Emot-BLIP reads contempt as happiness.
        let term = isDemo ? "contempt" : (env["FACECAP_EXPLORER_SEARCH"] ?? "a")
        try tmux.keys("/")
        for c in term { try tmux.keys(String(c)) }
        try tmux.keys("Enter")
        screen = try tmux.waitFor("search") { $0.contains("search: \(term)") && (!self.isDemo || $0.contains("The face shows happiness.")) }
        XCTAssertTrue(screen.contains("search: \(term)"), screen)
        if isDemo {
            XCTAssertTrue(screen.contains("1/2 faces"), screen)
            XCTAssertFalse(screen.contains("sadness_01"), "search hides other faces")
            XCTAssertTrue(screen.contains("says happiness ≠ truth contempt"),
                          "caption disagreeing with ground truth is marked, model's emotion first:\n\(screen)")
        }

        // Resize to 80x24: relayout, face still drawn.
        try tmux.resize(width: 80, height: 24)
        screen = try tmux.waitFor("resized-80x24") { s in
            s.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 80 }
                && Self.halfBlocks(s) > 150 && self.models.allSatisfy(s.contains)
        }
        XCTAssertGreaterThan(Self.halfBlocks(screen), 150, "face redrawn at 80x24:\n\(screen)")
        for model in models { XCTAssertTrue(screen.contains(model), "\(model) missing at 80x24:\n\(screen)") }

        // Too small, then back.
        try tmux.resize(width: 70, height: 20)
        screen = try tmux.waitFor("too-small") { $0.contains("enlarge the terminal") }
        XCTAssertTrue(screen.contains("enlarge the terminal"), screen)
        XCTAssertEqual(Self.halfBlocks(screen), 0, "no face left over on the small screen:\n\(screen)")
        try tmux.resize(width: 80, height: 24)
        screen = try tmux.waitFor("back-80x24") { Self.halfBlocks($0) > 150 }
        XCTAssertGreaterThan(Self.halfBlocks(screen), 150)

        // Esc clears the search once nothing runs; help opens and closes.
        _ = try tmux.waitFor("idle") { !$0.contains("running") }
        try tmux.keys("Escape")
        screen = try tmux.waitFor("search-cleared") { !$0.contains("search:") }
        XCTAssertFalse(screen.contains("search:"), screen)
        try tmux.keys("?")
        // Wait for the dialog's body, not only its title: a capture can land between two redraws.
        screen = try tmux.waitFor("help") { $0.contains("Keys (any key closes)") && $0.contains("regenerate") }
        XCTAssertTrue(screen.contains("regenerate"), screen)
        try tmux.keys("x")
        screen = try tmux.waitFor("help-closed") { !$0.contains("Keys (any key closes)") && Self.halfBlocks($0) > 150 }
        XCTAssertGreaterThan(Self.halfBlocks(screen), 150, "face repainted after the dialog closed")

        // q: clean exit, terminal restored (main screen back, cursor visible, no face left).
        try tmux.keys("q")
        screen = try tmux.waitFor("after-quit") { $0.contains("FACECAP-EXIT=") }
        XCTAssertTrue(screen.contains("FACECAP-EXIT=0"), screen)
        XCTAssertEqual(Self.halfBlocks(screen), 0, screen)
        XCTAssertEqual(try tmux.paneFlag("#{alternate_on}"), "0", "left the alternate screen")
        XCTAssertEqual(try tmux.paneFlag("#{cursor_flag}"), "1", "cursor visible again")

        reportLatency(latencyLog)
    }

    func testSignalsRestoreTheTerminal() throws {
        guard isDemo else { throw XCTSkip("signal test needs the demo's pid file") }
        let tmux = try driver()
        for (name, expected) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
            let pidFile = logDir.appendingPathComponent("pid-\(name)")
            try? FileManager.default.removeItem(at: pidFile)
            try tmux.start(command(pidFile: pidFile, latencyLog: logDir.appendingPathComponent("latency-signals.log")), width: 100, height: 30)
            _ = try tmux.waitFor("signal-\(name)-running") { Self.halfBlocks($0) > 300 }
            if name == "INT" {
                try tmux.keys("C-c")
            } else {
                let pid = try XCTUnwrap(Int32(String(contentsOf: pidFile, encoding: .utf8)))
                kill(pid, name == "TERM" ? SIGTERM : SIGHUP)
            }
            let screen = try tmux.waitFor("signal-\(name)-exited") { $0.contains("FACECAP-EXIT=") }
            tmux.save("signal-\(name)-flags", try tmux.paneFlag("dead=#{pane_dead} status=#{pane_dead_status} alt=#{alternate_on} cursor=#{cursor_flag} pid=#{pane_pid}"))
            XCTAssertTrue(screen.contains("FACECAP-EXIT=\(expected)"), "SIG\(name):\n\(screen)")
            XCTAssertEqual(Self.halfBlocks(screen), 0, "SIG\(name) left the face on screen")
            XCTAssertEqual(try tmux.paneFlag("#{alternate_on}"), "0", "SIG\(name) left the alternate screen on")
            XCTAssertEqual(try tmux.paneFlag("#{cursor_flag}"), "1", "SIG\(name) left the cursor hidden")
        }
    }

    /// Key-to-redraw latency as the app logged it (FACECAP_LATENCY_LOG): read key -> doupdate + face written.
    func reportLatency(_ log: URL) {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return XCTFail("no latency log at \(log.path)") }
        let values = text.split(separator: "\n").compactMap { line in line.split(separator: "=").last.flatMap { Double($0) } }.sorted()
        XCTAssertGreaterThan(values.count, 5, "keys were logged")
        guard !values.isEmpty else { return }
        let median = values[values.count / 2], p95 = values[min(values.count - 1, values.count * 95 / 100)]
        let summary = String(format: "keys %d  median %.1f ms  p95 %.1f ms  max %.1f ms\n", values.count, median, p95, values.last!)
        try? summary.write(to: logDir.appendingPathComponent("latency-summary.txt"), atomically: true, encoding: .utf8)
        print("explorer key-to-redraw latency: " + summary)
        XCTAssertLessThan(median, 100, "a key must be answered at once (median \(median) ms)")
    }
}
