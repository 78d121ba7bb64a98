import CNcurses
import Foundation

/// Draws the face by writing escape sequences straight to the terminal, after ncurses' doupdate().
///
/// Why not ncurses itself: 24-bit colour would need one colour pair per cell pair of colours
/// (thousands for one face, far beyond what most terminfo entries allow), and direct-colour
/// terminfo entries (xterm-direct) are rarely what TERM says. timg and viu write escapes directly;
/// we do the same, and keep ncurses consistent:
/// - ncurses draws the face's box as blanks, so its model of the screen says "blank" there;
/// - doupdate() ends with attributes reset (ncurses leaves the terminal in normal mode), and the
///   face is wrapped in DECSC/DECRC so the cursor position and attributes ncurses believes in are
///   restored exactly;
/// - ncurses may later clear those blanks (e.g. clear-to-end-of-line on a row it updates), so the
///   face is repainted after every doupdate();
/// - when the face moves, shrinks or disappears (dialog, resize), its old rows are marked garbled
///   with wredrawln() so ncurses repaints them for real instead of trusting its stale blanks.
/// The same path serves all image modes (truecolor, 256-colour, 16-colour greys, ASCII).
final class TerminalImagePainter {
    private var last: (column: Int, row: Int, columns: Int, rows: Int)? = nil

    /// Before doupdate(): tells ncurses to repaint rows the previous face covered if the new one
    /// won't cover exactly the same cells.
    func prepare(for placement: ImagePlacement?) {
        guard let old = last else { return }
        if let p = placement, p.column == old.column, p.row == old.row,
           p.image.columns == old.columns, p.image.rows == old.rows { return }
        _ = wredrawln(stdscr, Int32(old.row), Int32(old.rows))
        last = nil
    }

    /// After doupdate(): writes the face.
    func paint(_ placement: ImagePlacement?) {
        guard let p = placement else { last = nil; return }
        let bytes = Array(ImageEscapes.encode(p.image, column: p.column, row: p.row).utf8)
        writeAll(bytes)
        last = (p.column, p.row, p.image.columns, p.image.rows)
    }

    func forget() { last = nil }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return }
            offset += n
        }
    }
}
