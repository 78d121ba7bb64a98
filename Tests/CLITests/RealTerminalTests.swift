import Faces
import Foundation
import XCTest

/// The explorer in real terminal emulators on a virtual X server: xterm as a VT340 (sixel) and
/// kitty (kitty graphics, rendered by Mesa's software OpenGL). Each test starts facecap inside the
/// terminal, takes screenshots, and checks that the face region of the screen is the face: before
/// and after moving to the next face, in the zoom view, with nothing left behind when the zoom
/// closes, a dialog opens or facecap quits. Where the face is comes from `FACECAP_IMAGE_LOG` (its cell position and
/// pixel size) and the cell size facecap used; the window sits at the screen's origin without borders.
///
/// The threshold: the luma correlation between the screen region and the face resized to it is
/// 0.97-0.99 when the face is drawn (sixel's 256-colour palette and the terminal's scaling are all
/// that differ), while two different SampleFaces correlate at 0.5-0.8 (same framing, different
/// person) and a blank region at 0. 0.92 sits well between; every test also checks that the wrong
/// face stays below it, so the threshold is shown to tell faces apart on these very screens.
final class RealTerminalTests: XCTestCase {
    static let threshold = 0.92
    static let sampleFaces = FacecapProcess.repo.appendingPathComponent("SampleFaces")

    struct Placement {
        var face: String
        var mode: String
        var column, row, columns, rows, pixelWidth, pixelHeight, cellWidth, cellHeight: Int
    }

    func testXtermDrawsFacesInSixel() throws {
        try scenario(name: "xterm-sixel", mode: "sixel", windowClass: "xterm") { command, log in
            // numColorRegisters: xterm gives a VT340 16 colour registers unless told otherwise.
            "xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' -geometry 100x30+0+0 -b 0 -bw 0 "
                + "-fa 'DejaVu Sans Mono' -fs 9 -e sh -c \(TmuxQuote.q(command))"
        }
    }

    /// Without COLORTERM (as over ssh) and with TERM=xterm (8 colours in terminfo), the half-block
    /// mode still gets 24-bit colour: xterm reads back the colour facecap sets (DECRQSS).
    func testXtermTruecolorIsDetectedFromItsAnswer() throws {
        let x = try X11Terminal(name: "xterm-truecolor")
        let log = x.work.appendingPathComponent("placements.log")
        let command = "cd \(TmuxQuote.q(FacecapProcess.repo.path)) && env -u COLORTERM TERM=xterm FACECAP_IMAGE_LOG=\(TmuxQuote.q(log.path)) "
            + "LANG=C.UTF-8 LC_ALL=C.UTF-8 \(TmuxQuote.q(try FacecapProcess.executable.path)) explore SampleFaces --only-models "
            + "--no-cache --image-mode blocks; sleep 60"
        try x.launchTerminal("env -u COLORTERM xterm -geometry 100x30+0+0 -fa 'DejaVu Sans Mono' -fs 9 -e sh -c \(TmuxQuote.q(command))",
                             log: "terminal.log")
        let first = try placement(of: "face_01.png", in: log, x: x)
        XCTAssertEqual(first.mode, "truecolor")
        x.key("q")
    }

    func testKittyDrawsFacesWithItsGraphicsProtocol() throws {
        try scenario(name: "kitty-graphics", mode: "kitty", windowClass: "kitty") { command, _ in
            // One llvmpipe thread: with several, Mesa's software renderer tears kitty's frames under Xvfb.
            "env LIBGL_ALWAYS_SOFTWARE=1 LP_NUM_THREADS=1 kitty --config NONE -o initial_window_width=820 "
                + "-o initial_window_height=470 -o remember_window_size=no -o font_size=9 -o window_padding_width=0 "
                + "-o placement_strategy=top-left -o enable_audio_bell=no sh -c \(TmuxQuote.q(command))"
        }
    }

    /// Starts facecap in the terminal `launch` builds, then: first face, next face, zoom, back, quit.
    func scenario(name: String, mode: String, windowClass: String, launch: (_ command: String, _ log: String) -> String) throws {
        let x = try X11Terminal(name: name)
        let log = x.work.appendingPathComponent("placements.log"), done = x.work.appendingPathComponent("done")
        let facecap = try FacecapProcess.executable.path
        let command = "cd \(TmuxQuote.q(FacecapProcess.repo.path)) && env FACECAP_IMAGE_LOG=\(TmuxQuote.q(log.path)) LANG=C.UTF-8 "
            + "LC_ALL=C.UTF-8 \(TmuxQuote.q(facecap)) explore SampleFaces --only-models --no-cache; touch \(TmuxQuote.q(done.path)); sleep 120"
        try x.launchTerminal(launch(command, log.path), log: "terminal.log")

        let first = try placement(of: "face_01.png", in: log, x: x)
        XCTAssertEqual(first.mode, mode, "detected mode")
        let shot1 = try screen(x, "1-first-face", showing: "face_01.png", at: first)
        try expectFace("face_01.png", at: first, on: shot1, notFace: "face_02.png")

        x.key("j")
        let beforeResize = try placement(of: "face_02.png", in: log, x: x)
        let shot2 = try screen(x, "2-next-face", showing: "face_02.png", at: beforeResize)
        try expectFace("face_02.png", at: beforeResize, on: shot2, notFace: "face_01.png")

        // A larger window: the layout reflows and the face is drawn again, larger, where it now belongs.
        x.resize(windowClass: windowClass, width: 1000, height: 600)
        let second = try placement(of: "face_02.png", in: log, x: x) { $0.pixelWidth > beforeResize.pixelWidth }
        let shot2b = try screen(x, "2b-resized", showing: "face_02.png", at: second)
        try expectFace("face_02.png", at: second, on: shot2b, notFace: "face_01.png")

        x.key("z")
        let zoomed = try placement(of: "face_02.png", in: log, x: x) { $0.columns > second.columns }
        let shot3 = try screen(x, "3-zoom", showing: "face_02.png", at: zoomed)
        try expectFace("face_02.png", at: zoomed, on: shot3, notFace: "face_01.png")

        x.key("z")
        _ = try placement(of: "face_02.png", in: log, x: x) { $0.columns == second.columns }
        let shot4 = try screen(x, "4-zoom-closed", showing: "face_02.png", at: second) { shot in
            ImageComparison.lumaSpread(self.below(second, on: shot)) < 6
        }
        try expectFace("face_02.png", at: second, on: shot4, notFace: "face_01.png")
        // Below the face the zoomed image covered cells that are blank now: no ghost may remain there.
        XCTAssertLessThan(ImageComparison.lumaSpread(below(second, on: shot4)), 6, "something of the zoomed face is left below the face")

        // A dialog over the face: the face must go (kitty keeps images above text unless deleted).
        x.key("question")
        try x.wait(seconds: 20, "the help screen to take the face away") {
            (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").last == "cleared"
        }
        let face2 = try reference("face_02.png", second)
        let shot5 = try screen(x, "5-help-over-face") { ImageComparison.correlation(self.region(of: second, on: $0), face2) < 0.5 }
        let underHelp = ImageComparison.correlation(region(of: second, on: shot5), face2)
        XCTAssertLessThan(underHelp, 0.5, "the face still shows through the help screen (correlation \(underHelp))")
        x.key("Escape")
        _ = try placement(of: "face_02.png", in: log, x: x)

        x.key("q")
        try x.wait(seconds: 10, "facecap to quit") { FileManager.default.fileExists(atPath: done.path) }
        let shot6 = try screen(x, "6-after-quit") { ImageComparison.lumaSpread(self.region(of: second, on: $0)) < 6 }
        let region = region(of: second, on: shot6)
        XCTAssertLessThan(ImageComparison.lumaSpread(region), 6, "the face is still on screen after q")
    }

    /// Eight rows of cells below the face: blank in the main view, covered by the zoomed face.
    func below(_ p: Placement, on shot: Screenshot) -> RGBImage {
        shot.crop(x: p.column * p.cellWidth, y: (p.row + p.rows + 2) * p.cellHeight, width: p.columns * p.cellWidth,
                  height: 8 * p.cellHeight)
    }

    func region(of p: Placement, on shot: Screenshot) -> RGBImage {
        shot.crop(x: p.column * p.cellWidth, y: p.row * p.cellHeight, width: p.pixelWidth, height: p.pixelHeight)
    }

    func expectFace(_ face: String, at p: Placement, on shot: Screenshot, notFace other: String) throws {
        let seen = region(of: p, on: shot)
        let match = ImageComparison.correlation(seen, try reference(face, p))
        let wrong = ImageComparison.correlation(seen, try reference(other, p))
        print("\(name): \(face) at \(p.column),\(p.row) \(p.pixelWidth)x\(p.pixelHeight) px: correlation \(String(format: "%.3f", match)), with \(other) \(String(format: "%.3f", wrong))")
        XCTAssertGreaterThan(match, Self.threshold, "\(face) is not on screen where facecap drew it (correlation \(match))")
        XCTAssertLessThan(wrong, Self.threshold, "the threshold does not tell \(face) from \(other) (\(wrong))")
    }

    /// A SampleFace resized to where `p` drew it.
    func reference(_ name: String, _ p: Placement) throws -> RGBImage {
        let image = try PNGDecoder.decode(contentsOf: Self.sampleFaces.appendingPathComponent(name), alpha: .compositeOntoWhite)
        return resize(image, width: p.pixelWidth, height: p.pixelHeight, filter: .bicubic)
    }

    /// Waits until the log's last line places `face` (and satisfies `also`).
    func placement(of face: String, in log: URL, x: X11Terminal, also: (Placement) -> Bool = { _ in true }) throws -> Placement {
        var found: Placement?
        try x.wait(seconds: 30, "facecap to draw \(face) (see \(log.path))") {
            guard let text = try? String(contentsOf: log, encoding: .utf8),
                  let last = text.split(separator: "\n").last.map(String.init), let p = parse(last), p.face == face, also(p)
            else { return false }
            found = p
            return true
        }
        return found!
    }

    func parse(_ line: String) -> Placement? {
        var fields: [String: String] = [:]
        for part in line.split(separator: " ") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        func pair(_ key: String) -> (Int, Int)? {
            let v = (fields[key] ?? "").split(separator: "x").compactMap { Int($0) }
            return v.count == 2 ? (v[0], v[1]) : nil
        }
        guard let face = fields["face"], let mode = fields["mode"], let column = fields["column"].flatMap(Int.init),
              let row = fields["row"].flatMap(Int.init), let columns = fields["columns"].flatMap(Int.init),
              let rows = fields["rows"].flatMap(Int.init), let cell = pair("cell") else { return nil }
        let pixels = pair("pixels") ?? (0, 0)  // "cells" for the half-block modes
        return Placement(face: face, mode: mode, column: column, row: row, columns: columns, rows: rows,
                         pixelWidth: pixels.0, pixelHeight: pixels.1, cellWidth: cell.0, cellHeight: cell.1)
    }

    /// The terminal draws some time after facecap writes (kitty on software OpenGL under load takes
    /// a while): screenshots until `ready` holds, at most 15 s; the last one is returned either way
    /// and the caller's assertions judge it.
    func screen(_ x: X11Terminal, _ name: String, ready: (Screenshot) -> Bool) throws -> Screenshot {
        let deadline = Date().addingTimeInterval(15)
        var shot = try x.screenshot(name)
        while !ready(shot) && Date() < deadline {
            usleep(200_000)
            shot = try x.screenshot(name)
        }
        return shot
    }

    func screen(_ x: X11Terminal, _ name: String, showing face: String, at p: Placement,
                also: @escaping (Screenshot) -> Bool = { _ in true }) throws -> Screenshot {
        let want = try reference(face, p)
        return try screen(x, name) { ImageComparison.correlation(self.region(of: p, on: $0), want) > Self.threshold && also($0) }
    }
}
