import Foundation
import XCTest

/// Drives a program inside a private tmux server (its own socket, so a user's tmux is untouched):
/// start it at a size, send keys, resize, capture the screen, and save every capture to a log folder.
public final class TmuxDriver {
    public let tmux: String
    let socket = "facecap-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    public let session = "explorer"
    public let logDir: URL
    private var captureCount = 0

    /// nil when tmux is not installed.
    public init?(logDir: URL) {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/tmux" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        tmux = found
        self.logDir = logDir
        try? FileManager.default.createDirectory(at: logDir, withIntermediateDirectories: true)
    }

    deinit { _ = try? run(["kill-server"]) }

    /// Runs one tmux client command through system(3) and returns its output.
    /// Not Foundation.Process: on Linux it learns of a child's exit through a descriptor the child
    /// inherits, and the tmux server that new-session forks keeps that descriptor open forever.
    @discardableResult
    public func run(_ arguments: [String]) throws -> String {
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: outFile) }
        let words = ["env", "-u", "TMUX", "TERM=xterm-256color", "LC_ALL=C.UTF-8", tmux, "-L", socket, "-f", "/dev/null"] + arguments
        let line = words.map(Self.quote).joined(separator: " ") + " </dev/null >" + Self.quote(outFile.path) + " 2>&1"
        _ = system(line)
        return (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
    }

    public static func quote(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Starts `command` (a shell command line) in a fresh session of the given size.
    /// With `remainOnExit` the pane stays readable after the command ends; without it tmux reaps
    /// the command at once (tests that kill -9 it and wait for it to be gone need that).
    public func start(_ command: String, width: Int, height: Int, remainOnExit: Bool = true) throws {
        _ = try? run(["kill-session", "-t", session])
        try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
        if remainOnExit { try run(["set-option", "-t", session, "remain-on-exit", "on"]) }
    }

    public func keys(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    public func capture(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }

    public func paneFlag(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds; saves the last capture under `name`.
    @discardableResult
    public func waitFor(_ name: String, timeout: TimeInterval = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = try capture()
        while !condition(screen) && Date() < deadline {
            usleep(100_000)
            screen = try capture()
        }
        save(name, screen)
        return screen
    }

    public func save(_ name: String, _ screen: String) {
        captureCount += 1
        let file = logDir.appendingPathComponent(String(format: "%02d", captureCount) + "-\(name).txt")
        try? screen.write(to: file, atomically: true, encoding: .utf8)
    }
}
