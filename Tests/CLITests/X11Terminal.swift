import Faces
import Foundation
import XCTest

/// A terminal emulator on a private virtual X server (Xvfb): start it running a command, type keys
/// into it (xdotool), take screenshots of the screen (xwd). Started through the shell with `&` and
/// stopped by pid, like `TmuxDriver` (Foundation.Process waits on descriptors daemons inherit).
final class X11Terminal {
    let display: String
    let work: URL
    private var pids: [Int32] = []

    /// Starts Xvfb on a free display number.
    init(name: String) throws {
        for tool in ["Xvfb", "xwd", "xdotool"] where !Self.installed(tool) {
            throw X11TestError("\(tool) is missing: scripts/install-deps installs xvfb, x11-apps, xdotool, xterm and kitty")
        }
        work = FacecapProcess.repo.appendingPathComponent(".build/test-logs/\(name)")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var number = 0
        for _ in 0..<50 {
            let n = Int.random(in: 200...900)
            if !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)"), !FileManager.default.fileExists(atPath: "/tmp/.X\(n)-lock") {
                number = n
                break
            }
        }
        display = ":\(number)"
        pids.append(try background("Xvfb \(display) -screen 0 1024x768x24 -nolisten tcp", log: "xvfb.log", display: false))
        try wait(seconds: 10, "Xvfb to start") { FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)") }
    }

    deinit {
        for pid in pids.reversed() { kill(pid, SIGTERM) }
    }

    static func installed(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// Runs a shell command line in the background on this display; returns its pid.
    @discardableResult
    func background(_ command: String, log: String, display withDisplay: Bool = true) throws -> Int32 {
        let pidFile = work.appendingPathComponent("\(log).pid")
        let env = withDisplay ? "env DISPLAY=\(display) " : ""
        let line = "\(env)\(command) >\(TmuxQuote.q(work.appendingPathComponent(log).path)) 2>&1 </dev/null & echo $! >\(TmuxQuote.q(pidFile.path))"
        guard system(line) == 0, let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw X11TestError("could not start: \(command)") }
        return pid
    }

    func launchTerminal(_ command: String, log: String) throws {
        pids.append(try background(command, log: log))
    }

    /// xdotool key names: "j", "z", "q", "Escape".
    func key(_ name: String) {
        _ = system("env DISPLAY=\(display) xdotool key \(name) >/dev/null 2>&1")
    }

    /// Resizes the terminal's window (no window manager runs, so nothing else moves it).
    func resize(windowClass: String, width: Int, height: Int) {
        _ = system("env DISPLAY=\(display) xdotool search --class \(windowClass) windowsize %@ \(width) \(height) >/dev/null 2>&1")
    }

    func screenshot(_ name: String) throws -> Screenshot {
        let file = work.appendingPathComponent("\(name).xwd")
        XCTAssertEqual(system("env DISPLAY=\(display) xwd -root -silent >\(TmuxQuote.q(file.path))"), 0)
        return try Screenshot(xwd: Data(contentsOf: file))
    }

    func wait(seconds: Double, _ what: String, until done: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !done() {
            if Date() > deadline { throw X11TestError("timed out after \(Int(seconds)) s waiting for \(what)") }
            usleep(50_000)
        }
    }
}

/// The real-terminal tests never skip: a missing tool or a terminal that does not start is a failure.
struct X11TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum TmuxQuote {
    static func q(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// An X window dump (XWD, X11's own screenshot format: a header of 25 big-endian words, the window
/// name, a colour map, then the pixels) of a 24-bit TrueColor screen, as RGB.
struct Screenshot {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init(xwd data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 100 else { throw X11TestError("xwd wrote no screenshot") }
        func word(_ i: Int) -> Int { bytes[4 * i..<4 * i + 4].reduce(0) { $0 << 8 | Int($1) } }
        let headerSize = word(0), depth = word(3), byteOrder = word(7), bitsPerPixel = word(11), bytesPerLine = word(12)
        let redMask = word(14), colourMapEntries = word(19)
        width = word(4)
        height = word(5)
        guard depth == 24, bitsPerPixel == 32 || bitsPerPixel == 24, redMask == 0xff0000 else {
            throw X11TestError("screenshot is depth \(depth), \(bitsPerPixel) bits per pixel; expected a 24-bit TrueColor Xvfb")
        }
        let start = headerSize + 12 * colourMapEntries
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let o = start + y * bytesPerLine + bitsPerPixel / 8 * x
                let last = bitsPerPixel / 8 - 1
                let v = byteOrder == 0 ? (Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16)
                                       : (Int(bytes[o + last - 2]) << 16 | Int(bytes[o + last - 1]) << 8 | Int(bytes[o + last]))
                let p = 3 * (y * width + x)
                rgb[p] = UInt8(v >> 16 & 0xff); rgb[p + 1] = UInt8(v >> 8 & 0xff); rgb[p + 2] = UInt8(v & 0xff)
            }
        }
        pixels = rgb
    }

    func crop(x: Int, y: Int, width w: Int, height h: Int) -> RGBImage {
        var out: [UInt8] = []
        out.reserveCapacity(w * h * 3)
        for row in y..<(y + h) {
            for col in x..<(x + w) {
                let p = 3 * (min(row, height - 1) * width + min(col, width - 1))
                out += pixels[p..<(p + 3)]
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }
}

enum ImageComparison {
    /// Pearson correlation of the two images' luma, pixel by pixel (same size).
    static func correlation(_ a: RGBImage, _ b: RGBImage) -> Double {
        let x = luma(a), y = luma(b)
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }

    static func lumaSpread(_ a: RGBImage) -> Double {
        let x = luma(a)
        let m = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }

    static func luma(_ a: RGBImage) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(a.pixels.count / 3)
        for i in stride(from: 0, to: a.pixels.count, by: 3) {
            let r = 0.299 * Double(a.pixels[i]), g = 0.587 * Double(a.pixels[i + 1]), b = 0.114 * Double(a.pixels[i + 2])
            out.append(r + g + b)
        }
        return out
    }
}
