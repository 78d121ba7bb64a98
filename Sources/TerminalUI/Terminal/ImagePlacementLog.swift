import CNcurses
import Foundation

/// Appends one line per face written to the screen, for the end-to-end tests in real terminals
/// (they find the face in a screenshot from it) and for troubleshooting a terminal that draws
/// nothing: "face=<id> mode=sixel column=.. row=.. columns=.. rows=.. pixels=WxH cell=WxH", and
/// "cleared" when the face is taken off the screen. Enabled by `FACECAP_IMAGE_LOG=<file>`.
final class ImagePlacementLog {
    private let handle: FileHandle
    private var lastLine = ""

    init?(environment: [String: String]) {
        guard let path = environment["FACECAP_IMAGE_LOG"], !path.isEmpty else { return nil }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { return nil }
        h.seekToEndOfFile()
        handle = h
    }

    /// Records what is on screen after a redraw; repeats of the same line are left out.
    func record(face: String?, placement: ImagePlacement?, cell: CellSize) {
        var line = "cleared"
        if let p = placement {
            let face = face ?? "?"
            let pixels = p.image.graphic.map { "\($0.pixelWidth)x\($0.pixelHeight)" } ?? "cells"
            line = "face=\(face) mode=\(p.image.mode.name) column=\(p.column) row=\(p.row) columns=\(p.image.columns) "
                + "rows=\(p.image.rows) pixels=\(pixels) cell=\(cell.width)x\(cell.height)"
        }
        guard line != lastLine else { return }
        lastLine = line
        handle.write(Data((line + "\n").utf8))
    }
}

extension TerminalGraphics {
    /// Detection inside a running curses session: its colours and locale, the user's setting, and
    /// the terminal's answers. ncurses must not shift characters sideways (insert/delete character)
    /// under a pixel image, which would leave its pixels behind, so that is turned off for them.
    static func detect(session: CursesSession, options: TerminalOptions, columns: Int, rows: Int) -> TerminalGraphics {
        let graphics = TerminalGraphics.detect(setting: options.imageMode, environment: options.environment,
                                               colors: session.colorCount, utf8: session.utf8,
                                               columns: columns, rows: rows, probe: { TerminalProbe.ask() })
        if graphics.mode.drawsPixels { idcok(stdscr, false) }
        return graphics
    }
}
