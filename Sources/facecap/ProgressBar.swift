import Foundation

/// A one-line progress bar on stderr for batch jobs: redrawn in place on a terminal, one plain
/// line per step when stderr is a file or a pipe (cluster logs).
struct ProgressBar {
    let total: Int
    private(set) var done = 0
    private let interactive = isatty(STDERR_FILENO) == 1
    private let started = Date()

    init(total: Int) { self.total = total }

    mutating func advance(_ label: String) {
        done += 1
        let elapsed = Date().timeIntervalSince(started)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let width = 24
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let line = String(format: "[%@] %d/%d  %@  eta %.0fs", bar, done, total, String(label.prefix(36)), eta)
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (done == total ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
