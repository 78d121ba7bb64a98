import Foundation
import XCTest

/// A command running in a detached tmux pane of a fixed size, on a private tmux server (so tests
/// never touch a user's sessions): send keys, read the screen as text, keep every screen in a log.
final class TmuxPane {
    let socket = "facecap-test-\(UUID().uuidString.prefix(8))"
    let logDirectory: URL
    private var shots = 0

    static var tmux: String {
        get throws {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
                let path = "\(dir)/tmux"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            throw XCTSkip("tmux is not installed (scripts/install-deps installs it)")
        }
    }

    /// Starts `command` (run by sh) at `width`x`height` with TERM=xterm-256color.
    init(_ command: String, logName: String, width: Int = 80, height: Int = 24) throws {
        logDirectory = FacecapProcess.repo.appendingPathComponent(".build/test-logs/\(logName)")
        try? FileManager.default.removeItem(at: logDirectory)
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        try tmux(["new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)",
                  "-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", "sh", "-c", command])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Named keys ("Enter", "Tab", "Escape") or single characters.
    func keys(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "t"] + keys)
    }

    /// Text typed literally (spaces, commas and all).
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "t", "-l", text])
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "t"]) }

    /// Whether the pane is showing the alternate screen (curses still holds the terminal).
    func alternateScreen() throws -> Bool {
        try tmux(["display-message", "-p", "-t", "t", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// The process id of the pane's command (the shell `sh -c` runs).
    func panePID() throws -> Int32? {
        Int32(try tmux(["display-message", "-p", "-t", "t", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

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

    /// Through system(3), not Foundation.Process: on Linux, Process learns of a child's exit through
    /// a descriptor the child inherits, and the tmux server that `new-session` forks keeps it open
    /// for its whole life, so waiting for the client would never end.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let words = ["env", "-u", "TMUX", try Self.tmux, "-L", socket, "-f", "/dev/null"] + arguments
        _ = system(words.map(Self.quote).joined(separator: " ") + " </dev/null >" + Self.quote(output.path) + " 2>/dev/null")
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
