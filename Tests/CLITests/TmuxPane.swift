import Foundation
import TerminalTesting
import XCTest

/// A command running in a detached tmux pane of a fixed size, on a private tmux server (so tests
/// never touch a user's sessions): send keys, read the screen as text, keep every screen in a log.
/// The rating tests' vocabulary over the shared `TmuxDriver`.
final class TmuxPane {
    let driver: TmuxDriver
    let logDirectory: URL
    private var shots = 0

    /// Starts `command` (run by sh) at `width`x`height` with TERM=xterm-256color.
    init(_ command: String, logName: String, width: Int = 80, height: Int = 24) throws {
        logDirectory = FacecapProcess.repo.appendingPathComponent(".build/test-logs/\(logName)")
        try? FileManager.default.removeItem(at: logDirectory)
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        guard let driver = TmuxDriver(logDir: logDirectory) else {
            throw XCTSkip("tmux is not installed (scripts/install-deps installs it)")
        }
        self.driver = driver
        try driver.start("env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 sh -c " + TmuxDriver.quote(command),
                         width: width, height: height, remainOnExit: false)
    }

    /// Named keys ("Enter", "Tab", "Escape") or single characters.
    func keys(_ keys: String...) throws {
        try driver.run(["send-keys", "-t", driver.session] + keys)
    }

    /// Text typed literally (spaces, commas and all).
    func type(_ text: String) throws {
        try driver.run(["send-keys", "-t", driver.session, "-l", text])
    }

    func screen() throws -> String { try driver.capture() }

    /// Whether the pane is showing the alternate screen (curses still holds the terminal).
    func alternateScreen() throws -> Bool { try driver.paneFlag("#{alternate_on}") == "1" }

    /// The process id of the pane's command (the shell `sh -c` runs).
    func panePID() throws -> Int32? { Int32(try driver.paneFlag("#{pane_pid}")) }

    /// Waits until every text is on screen; saves the screen under `shot` either way.
    @discardableResult
    func waitFor(_ texts: String..., shot: String, timeout: TimeInterval = 20,
                 file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var current = ""
        repeat {
            current = (try? screen()) ?? current
            if texts.allSatisfy(current.contains) {
                save(current, shot)
                return current
            }
            usleep(100_000)
        } while Date() < deadline
        save(current, shot + "-TIMEOUT")
        XCTFail("waited \(timeout) s for \(texts) on screen:\n\(current)", file: file, line: line)
        throw ScreenTimeout(expected: texts)
    }

    func save(_ screen: String, _ name: String) {
        shots += 1
        let url = logDirectory.appendingPathComponent(String(format: "%02d-%@.txt", shots, name))
        try? screen.write(to: url, atomically: true, encoding: .utf8)
    }

    struct ScreenTimeout: Error { var expected: [String] }
}
