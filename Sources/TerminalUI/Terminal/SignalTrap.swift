import Foundation

/// SIGINT, SIGTERM and SIGHUP (an SSH drop) must leave the terminal usable. The handler does only
/// async-signal-safe work: it records the signal and writes one byte to a pipe the main loop polls.
/// The main loop then leaves curses (endwin) and returns normally.
nonisolated(unsafe) private var trappedSignal: Int32 = 0
nonisolated(unsafe) private var trapWriteFD: Int32 = -1

enum SignalTrap {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static var readFD: Int32 = -1

    /// Installs the handlers; returns the pipe's read end for `poll`.
    static func install() -> Int32 {
        if readFD < 0 {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { return -1 }
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            readFD = fds[0]
            trapWriteFD = fds[1]
        }
        trappedSignal = 0
        for s in signals {
            signal(s) { received in
                trappedSignal = received
                var byte: UInt8 = 1
                _ = write(trapWriteFD, &byte, 1)
            }
        }
        return readFD
    }

    /// The signal received since `install`, if any.
    static var received: Int32? { trappedSignal == 0 ? nil : trappedSignal }

    static func uninstall() {
        for s in signals { signal(s, SIG_DFL) }
    }
}
