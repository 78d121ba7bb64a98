import Foundation
import XCTest
@testable import Explorer
import TerminalTesting
@testable import TerminalUI

/// Terminal replies parsed, the mode chosen from them and the environment, and the probe's time limit.
final class TerminalGraphicsTests: XCTestCase {
    func answers(_ s: String) -> TerminalAnswers { TerminalAnswers.parse(Array(s.utf8)) }

    func testRepliesOfXtermKittyAndFootAreRead() {
        // xterm -ti vt340: DA1 with 4 (sixel); window ops refused, so no size replies.
        let xterm = answers("\u{1b}P1$r0;48:2::1:2:3m\u{1b}\\\u{1b}[?1;0;256S\u{1b}[?63;1;2;4;6;9;15;16;22;29c")
        XCTAssertTrue(xterm.sixel)
        XCTAssertTrue(xterm.directColor)
        XCTAssertEqual(xterm.sixelRegisters, 256)
        XCTAssertTrue(xterm.complete)
        // kitty: graphics OK, cell and window sizes, DA1 without sixel.
        let kitty = answers("\u{1b}_Gi=31;OK\u{1b}\\\u{1b}[6;17;8t\u{1b}[4;510;800t\u{1b}[?62;c")
        XCTAssertTrue(kitty.kittyGraphics)
        XCTAssertFalse(kitty.sixel)
        XCTAssertEqual(kitty.cellPixels, CellSize(width: 8, height: 17))
        XCTAssertEqual(kitty.cellSize(columns: 100, rows: 30), CellSize(width: 8, height: 17))
        // Only the window size: cells are the window over the grid.
        XCTAssertEqual(answers("\u{1b}[4;600;1000t\u{1b}[?62;4c").cellSize(columns: 100, rows: 30), CellSize(width: 10, height: 20))
        // A 256-colour terminal reports the palette entry it chose, not the colour set.
        XCTAssertFalse(answers("\u{1b}P1$r0;48;5;16m\u{1b}\\\u{1b}[?62c").directColor)
        // An error from the kitty query is no support; garbage and a missing DA1 leave it incomplete.
        XCTAssertFalse(answers("\u{1b}_Gi=31;ENOTSUPPORTED\u{1b}\\").kittyGraphics)
        XCTAssertFalse(answers("jk\u{1b}[6;17").complete)
    }

    func testDetectionOrder() {
        func mode(_ env: [String: String], _ reply: String = "", colors: Int = 256, setting: ImageModeSetting = .auto) -> ImageMode {
            ImageModeDetection.detect(setting: setting, environment: env, answers: answers(reply), colors: colors, utf8: true).mode
        }
        XCTAssertEqual(mode(["TERM": "xterm-kitty"]), .kitty)
        XCTAssertEqual(mode(["TERM": "xterm-256color", "LC_TERMINAL": "iTerm2"]), .iterm2, "iTerm2 over ssh sets LC_TERMINAL")
        XCTAssertEqual(mode(["TERM_PROGRAM": "WezTerm"]), .iterm2)
        XCTAssertEqual(mode(["KONSOLE_VERSION": "230805"]), .kitty)
        XCTAssertEqual(mode(["TERM": "xterm"], "\u{1b}_Gi=31;OK\u{1b}\\\u{1b}[?62c"), .kitty)
        XCTAssertEqual(mode(["TERM": "xterm"], "\u{1b}[?63;4c"), .sixel)
        // Inside tmux only what tmux itself draws: sixel when it says so, else blocks.
        XCTAssertEqual(mode(["TERM": "tmux-256color", "TMUX": "/tmp/x", "TERM_PROGRAM": "iTerm.app"]), .palette256)
        XCTAssertEqual(mode(["TERM": "screen-256color", "TMUX": "/tmp/x"], "\u{1b}[?1;2;4c"), .sixel)
        // Blocks: COLORTERM, else the terminal's 24-bit read-back, else terminfo's colours.
        XCTAssertEqual(mode(["TERM": "xterm-256color", "COLORTERM": "truecolor"]), .trueColor)
        XCTAssertEqual(mode(["TERM": "xterm-256color"], "\u{1b}P1$r0;48;2;1;2;3m\u{1b}\\\u{1b}[?62c"), .trueColor)
        XCTAssertEqual(mode(["TERM": "xterm-256color"]), .palette256)
        XCTAssertEqual(mode(["TERM": "xterm"], colors: 16), .grey16)
        // The user's setting wins; "blocks" keeps the colour detection.
        XCTAssertEqual(mode(["TERM": "xterm-kitty"], setting: .exactly(.sixel)), .sixel)
        XCTAssertEqual(mode(["TERM": "xterm-kitty", "COLORTERM": "24bit"], setting: .blocks), .trueColor)
        XCTAssertEqual(ImageModeSetting(name: "iterm"), .exactly(.iterm2))
        XCTAssertEqual(ImageModeSetting(name: "256"), .exactly(.palette256))
        XCTAssertNil(ImageModeSetting(name: "png"))
    }

    func testProbeIsSkippedWhenNothingDependsOnIt() {
        var asked = 0
        let probe = { () -> TerminalAnswers in asked += 1; return TerminalAnswers() }
        _ = TerminalGraphics.detect(setting: .exactly(.palette256), environment: ["TERM": "xterm"], colors: 256, utf8: true,
                                    columns: 80, rows: 24, probe: probe)
        _ = TerminalGraphics.detect(setting: .auto, environment: ["TERM": "linux"], colors: 8, utf8: true,
                                    columns: 80, rows: 24, probe: probe)
        XCTAssertEqual(asked, 0)
        let g = TerminalGraphics.detect(setting: .auto, environment: ["TERM": "xterm"], colors: 256, utf8: true,
                                        columns: 100, rows: 30, probe: { self.answers("\u{1b}[6;15;7t\u{1b}[?62;4c") })
        XCTAssertEqual(g.mode, .sixel)
        XCTAssertEqual(g.cell, CellSize(width: 7, height: 15))
        XCTAssertTrue(g.summary.contains("sixel"), g.summary)
    }

    /// A terminal (or an SSH link) that never answers costs the time limit, not a hang; one that
    /// answers ends the wait at its DA1 reply.
    func testProbeHasATimeLimitOnASilentTerminal() throws {
        var master: Int32 = 0, slave: Int32 = 0
        XCTAssertEqual(openpty(&master, &slave, nil, nil, nil), 0)
        defer { close(master); close(slave) }
        let start = Date()
        let silent = TerminalProbe.ask(input: slave, output: slave, timeout: 0.3)
        let silentTime = Date().timeIntervalSince(start)
        XCTAssertFalse(silent.complete)
        XCTAssertLessThan(silentTime, 1.5, "a silent terminal must not hold the start-up")
        var drain = [UInt8](repeating: 0, count: 4096)
        _ = read(master, &drain, drain.count)  // the queries

        let terminal = master
        let responder = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(terminal, &buffer, buffer.count)
            let reply = Array("\u{1b}[6;20;10t\u{1b}[?62;4c".utf8)
            _ = write(terminal, reply, reply.count)
        }
        responder.start()
        let t0 = Date()
        let answered = TerminalProbe.ask(input: slave, output: slave, timeout: 5)
        XCTAssertTrue(answered.sixel)
        XCTAssertEqual(answered.cellPixels, CellSize(width: 10, height: 20))
        XCTAssertLessThan(Date().timeIntervalSince(t0), 4, "DA1 ends the wait before the time limit")
    }
}
