import CNcurses
import Foundation

/// Draws the face by writing escape sequences straight to the terminal, after ncurses' doupdate().
///
/// Why not ncurses itself: 24-bit colour would need one colour pair per cell pair of colours
/// (thousands for one face, far beyond what most terminfo entries allow), and ncurses knows nothing
/// of kitty, iTerm2 or sixel images. timg and viu write escapes directly; we do the same, and keep
/// ncurses consistent:
/// - ncurses draws the face's box as blanks, so its model of the screen says "blank" there;
/// - doupdate() ends with attributes reset, and the face is wrapped in DECSC/DECRC so the cursor
///   position and attributes ncurses believes in are restored exactly;
/// - cell faces: ncurses may later clear those blanks (clear-to-end-of-line on a row it updates),
///   so a cell face is repainted after every doupdate();
/// - pixel faces (kitty, iTerm2, sixel) are sent once per face and position: ncurses never writes
///   into cells it believes blank and unchanged, and resending a 100 kB image on every key would be
///   slow over SSH. A full repaint (resize) calls `forget()`, and the face is sent again;
/// - when the face moves, changes or disappears (navigation, dialog, zoom, quit), the old one is
///   erased: kitty's by deleting the image (it lives on its own layer, text does not cover it),
///   sixel and iTerm2 by erasing the cells under them (ECH), after which its rows are marked
///   garbled with wredrawln() so ncurses repaints them for real instead of trusting its blanks.
final class TerminalImagePainter {
    private struct Drawn: Equatable {
        var column, row, columns, rows: Int
        var mode: ImageMode
        var serial: Int?
    }

    private var last: Drawn?

    /// Before doupdate(): erases the previous face if the new one won't cover exactly the same cells.
    func prepare(for placement: ImagePlacement?) {
        guard let old = last else { return }
        if let p = placement, drawn(p) == old { return }
        erase(old)
        _ = wredrawln(stdscr, Int32(old.row), Int32(old.rows))
        last = nil
    }

    /// After doupdate(): writes the face (a pixel face only if it is not on screen already).
    func paint(_ placement: ImagePlacement?) {
        guard let p = placement else { last = nil; return }
        let now = drawn(p)
        if now.mode.drawsPixels && now == last { return }
        writeAll(ImageEscapes.bytes(p.image, column: p.column, row: p.row))
        last = now
    }

    /// The screen was cleared (resize): nothing of ours is on it. A kitty image survives a clear
    /// in some versions, so it is deleted all the same.
    func forget() {
        if let old = last, old.mode == .kitty { erase(old) }
        last = nil
    }

    /// Leaves nothing behind (quitting).
    func clear() {
        if let old = last { erase(old) }
        last = nil
    }

    private func drawn(_ p: ImagePlacement) -> Drawn {
        Drawn(column: p.column, row: p.row, columns: p.image.columns, rows: p.image.rows, mode: p.image.mode,
              serial: p.image.graphic?.serial)
    }

    private func erase(_ old: Drawn) {
        switch old.mode {
        case .kitty:
            writeAll(KittyGraphics.delete(id: PixelImageRenderer.explorerImageID))
        case .sixel, .iterm2:
            var out = "\u{1b}7\u{1b}[0m"
            for r in 0..<old.rows { out += "\u{1b}[\(old.row + r + 1);\(old.column + 1)H\u{1b}[\(old.columns)X" }
            writeAll(Array((out + "\u{1b}8").utf8))
        default:
            break
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return }
            offset += n
        }
    }
}
