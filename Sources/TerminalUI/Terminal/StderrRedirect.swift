import Foundation

/// While curses owns the screen, stderr is pointed at a log file (or /dev/null): a warning printed
/// by a library mid-frame would otherwise land in the middle of the picture and desynchronise
/// ncurses' idea of the screen. `restore()` puts the original stderr back after `endwin`.
struct StderrRedirect {
    private var saved: Int32 = -1

    mutating func begin(logPath: String?) {
        fflush(stderr)
        let target = open(logPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard target >= 0 else { return }
        saved = dup(STDERR_FILENO)
        dup2(target, STDERR_FILENO)
        close(target)
    }

    mutating func restore() {
        guard saved >= 0 else { return }
        fflush(stderr)
        dup2(saved, STDERR_FILENO)
        close(saved)
        saved = -1
    }
}
