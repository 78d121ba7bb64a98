import Foundation

/// Appends "key=<key> ms=<milliseconds>" lines: time from reading a key to the end of the redraw
/// it caused (doupdate plus the face); and "face=<id> ms=<milliseconds>": time from the key that
/// selected a face to the redraw that put that face on screen (it may be decoded a redraw later).
/// Enabled by `FACECAP_LATENCY_LOG` or the config.
final class LatencyLog {
    private let handle: FileHandle

    init?(path: String) {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let h = FileHandle(forWritingAtPath: path) else { return nil }
        h.seekToEndOfFile()
        handle = h
    }

    func record(face: String, milliseconds: Double) {
        handle.write(Data("face=\(face) ms=\(String(format: "%.3f", milliseconds))\n".utf8))
    }

    func record(key: String, milliseconds: Double) {
        handle.write(Data("key=\(key) ms=\(String(format: "%.3f", milliseconds))\n".utf8))
    }
}
