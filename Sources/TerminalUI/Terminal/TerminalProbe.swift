import Foundation

/// Asks the terminal what it can do, the way timg and chafa do, with a time limit: kitty graphics
/// query, 24-bit colour read-back (DECRQSS), sixel colour registers (XTSMGRAPHICS), cell and window
/// size in pixels (CSI 16 t, CSI 14 t), and last the primary device attributes (DA1). Every
/// terminal answers DA1 and answers in order, so its reply ends the wait at once; a terminal that
/// answers nothing costs at most `timeout`. The limit is generous because a reply that comes after
/// it (a slow SSH link) would reach the explorer as keys. Runs with the tty already in cbreak/noecho
/// (inside the curses session), before the first key is read.
public enum TerminalProbe {
    public static let queries: String = {
        let c = TerminalAnswers.probeColor
        return KittyGraphics.query
            + "\u{1b}[48;2;\(c.r);\(c.g);\(c.b)m\u{1b}P$qm\u{1b}\\\u{1b}[0m"
            + "\u{1b}[?1;1;0S"
            + "\u{1b}[16t\u{1b}[14t"
            + "\u{1b}[c"
    }()

    /// - Parameters: input/output: the tty's descriptors. timeout: how long to wait for DA1.
    /// - Returns: the answers, and any bytes that were not replies (keys typed meanwhile are lost;
    ///   they arrive before the user has seen anything to press).
    public static func ask(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
                           timeout: TimeInterval = 1.5) -> TerminalAnswers {
        guard isatty(input) == 1, isatty(output) == 1 else { return TerminalAnswers() }
        // Replies must not echo or wait for a newline: no canonical mode, no echo, while we listen.
        var saved = termios()
        let haveMode = tcgetattr(input, &saved) == 0
        if haveMode {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            _ = tcsetattr(input, TCSANOW, &raw)
        }
        defer { if haveMode { _ = tcsetattr(input, TCSANOW, &saved) } }
        let query = Array(queries.utf8)
        var written = 0
        while written < query.count {
            let n = query[written...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return TerminalAnswers() }
            written += n
        }
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { break }
            var fd = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, Int32(max(1, left * 1000)))
            if ready < 0 { if errno == EINTR { continue }; break }
            if ready == 0 { break }
            let n = read(input, &buffer, buffer.count)
            if n <= 0 { if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }; break }
            received += buffer[0..<n]
            if TerminalAnswers.parse(received).complete { break }
        }
        return TerminalAnswers.parse(received)
    }

    /// The tty's own idea of its pixel size (TIOCGWINSZ), which kitty, foot and xterm fill in.
    public static func windowPixelsFromKernel(fd: Int32 = STDOUT_FILENO) -> (columns: Int, rows: Int, width: Int, height: Int)? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row), Int(size.ws_xpixel), Int(size.ws_ypixel))
    }
}
