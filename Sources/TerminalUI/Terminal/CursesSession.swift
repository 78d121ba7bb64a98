import CNcurses
import Foundation
import Tensor

/// Owns the terminal while the explorer runs: locale, curses modes, mouse, colours, stderr
/// redirection and signal handlers, and puts all of it back in `end()`, whatever made us leave.
final class CursesSession {
    private(set) var colorCount = 0
    private(set) var utf8 = false
    private var stderrRedirect = StderrRedirect()
    private var screen: OpaquePointer?
    private(set) var signalFD: Int32 = -1
    private var active = false

    func begin(mouse: Bool, stderrLogPath: String?) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw InputError("", "the explorer needs a terminal (stdin and stdout are not a tty)")
        }
        setlocale(LC_ALL, "")
        utf8 = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        stderrRedirect.begin(logPath: stderrLogPath)
        // newterm rather than initscr: initscr exits the process on an unknown TERM.
        guard let s = newterm(nil, stdout, stdin) else {
            stderrRedirect.restore()
            throw InputError("TERM", "unknown terminal type '\(ProcessInfo.processInfo.environment["TERM"] ?? "")'")
        }
        screen = s
        active = true
        signalFD = SignalTrap.install()
        cbreak()
        noecho()
        nonl()
        keypad(stdscr, true)
        nodelay(stdscr, true)
        curs_set(0)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(COLORS)
        }
        if mouse {
            mousemask(mmask_t(CursesKeys.mouseMask), nil)
            mouseinterval(0)
        }
    }

    /// A canvas sized to what this terminal can show: its colour count, and "…" only where UTF-8 works.
    func canvas(theme: Theme) -> CursesCanvas {
        CursesCanvas(theme: theme, colors: TerminalColors(colorCount: colorCount), ellipsis: utf8 ? "…" : "~")
    }

    /// Empties the signal pipe after poll() reported it readable, so the next poll sleeps again.
    func drainSignalPipe() {
        var buffer = [UInt8](repeating: 0, count: 16)
        _ = read(signalFD, &buffer, buffer.count)
    }

    func end() {
        guard active else { return }
        active = false
        curs_set(1)
        endwin()
        if let s = screen { delscreen(s) }
        screen = nil
        SignalTrap.uninstall()
        stderrRedirect.restore()
    }

    deinit { end() }
}
