import Faces
import Foundation
import XCTest

/// `facecap show`'s contract, checked by decoding its own output: kitty and iTerm2 payloads are
/// base64 PNGs that must hold exactly the resized face; sixel goes through libsixel's `sixel2png`
/// and must match up to the palette's quantisation.
final class ShowCommandTests: XCTestCase {
    static let face = FacecapProcess.repo.appendingPathComponent("SampleFaces/face_01.png")

    /// The face as a pixel protocol must send it: bicubic (Pillow's filter) to the pixel size.
    func resizedFace(width: Int, height: Int) throws -> RGBImage {
        resize(try PNGDecoder.decode(contentsOf: Self.face, alpha: .compositeOntoWhite), width: width, height: height, filter: .bicubic)
    }

    func show(_ mode: String, width: Int = 30, extra: [String] = []) throws -> [UInt8] {
        let out = try FacecapProcess.runBytes(["show", Self.face.path, "--image-mode", mode, "--width", "\(width)",
                                               "--cell-size", "8x16"] + extra)
        XCTAssertEqual(out.status, 0, out.stderr)
        return out.stdout
    }

    /// The strings between `start` and `end` (both byte sequences), in order.
    func payloads(_ bytes: [UInt8], start: String, end: [UInt8]) -> [[UInt8]] {
        let s = Array(start.utf8)
        var found: [[UInt8]] = []
        var i = 0
        while let a = index(of: s, in: bytes, from: i), let b = index(of: end, in: bytes, from: a + s.count) {
            found.append(Array(bytes[(a + s.count)..<b]))
            i = b + end.count
        }
        return found
    }

    func index(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    func testKittyPayloadIsTheResizedFace() throws {
        let out = try show("kitty")
        let chunks = payloads(out, start: "\u{1b}_G", end: Array("\u{1b}\\".utf8))
        XCTAssertGreaterThan(chunks.count, 1, "a face is larger than one 4096-byte chunk")
        var base64 = ""
        for (i, chunk) in chunks.enumerated() {
            let text = String(decoding: chunk, as: UTF8.self)
            let parts = text.split(separator: ";", maxSplits: 1).map(String.init)
            XCTAssertTrue(parts[0].hasSuffix(i == chunks.count - 1 ? "m=0" : "m=1"), parts[0])
            if i == 0 { XCTAssertTrue(parts[0].hasPrefix("a=T,f=100"), parts[0]) }
            XCTAssertLessThanOrEqual(parts[1].count, 4096)
            base64 += parts[1]
        }
        let png = try XCTUnwrap(Data(base64Encoded: base64))
        let decoded = try PNGDecoder.decode(data: png, name: "kitty payload")
        XCTAssertEqual(decoded.width, 240, "30 columns of 8 pixels")
        XCTAssertEqual(decoded, try resizedFace(width: 240, height: 240))
    }

    func testITermPayloadIsTheResizedFace() throws {
        let out = try show("iterm")
        let body = try XCTUnwrap(payloads(out, start: "\u{1b}]1337;File=", end: [0x07]).first)
        let text = String(decoding: body, as: UTF8.self)
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        XCTAssertTrue(parts[0].contains("inline=1"), parts[0])
        XCTAssertTrue(parts[0].contains("width=240px;height=240px"), parts[0])
        let png = try XCTUnwrap(Data(base64Encoded: parts[1]))
        XCTAssertTrue(parts[0].contains("size=\(png.count)"), parts[0])
        XCTAssertEqual(try PNGDecoder.decode(data: png, name: "iTerm2 payload"), try resizedFace(width: 240, height: 240))
    }

    func testSixelDecodesToTheFaceUpToThePalette() throws {
        let out = try show("sixel")
        let body = try XCTUnwrap(payloads(out, start: "\u{1b}P", end: Array("\u{1b}\\".utf8)).first)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-sixel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let six = dir.appendingPathComponent("face.six"), png = dir.appendingPathComponent("face.png")
        try Data(Array("\u{1b}P".utf8) + body + Array("\u{1b}\\".utf8)).write(to: six)
        let status = system("sixel2png -i '\(six.path)' -o '\(png.path)' 2>/dev/null")
        XCTAssertEqual(status, 0, "sixel2png (Debian libsixel-bin; scripts/install-deps installs it) rejected the output")
        let decoded = try PNGDecoder.decode(contentsOf: png)
        XCTAssertEqual([decoded.width, decoded.height], [240, 240])
        let want = try resizedFace(width: 240, height: 240)
        var total = 0.0, squares = 0.0
        for i in want.pixels.indices {
            let d = Double(Int(decoded.pixels[i]) - Int(want.pixels[i]))
            total += abs(d); squares += d * d
        }
        let mean = total / Double(want.pixels.count)
        let psnr = 10 * log10(255 * 255 / (squares / Double(want.pixels.count)))
        // 256 median-cut colours on one face: what remains is quantisation, a few levels per channel
        // (a wrong band order, offset or palette would be tens of levels off and far below 30 dB).
        XCTAssertLessThan(mean, 3.0, "mean absolute error \(mean)")
        XCTAssertGreaterThan(psnr, 33, "PSNR \(psnr) dB")
    }

    func testBlocksAreRowsOfHalfBlocksAndTheCursorEndsBelow() throws {
        let out = String(decoding: try show("truecolor", width: 20), as: UTF8.self)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 11, "20x20 pixels are 10 rows of half blocks, then the cursor on a fresh line")
        XCTAssertEqual(lines.last, "")
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.filter { $0 == "▀" }.count == 20 })
        XCTAssertTrue(out.contains("\u{1b}[38;2;"))
        let palette = String(decoding: try show("256", width: 20), as: UTF8.self)
        XCTAssertTrue(palette.contains("\u{1b}[38;5;") && !palette.contains("38;2;"))
    }

    func testEveryFaceInOrderAndOneLineForABadFile() throws {
        let two = try FacecapProcess.runBytes(["show", Self.face.path, Self.face.path, "--image-mode", "kitty", "--width", "10",
                                               "--cell-size", "8x16"])
        XCTAssertEqual(two.status, 0)
        XCTAssertEqual(payloads(two.stdout, start: "\u{1b}_Ga=T", end: [UInt8(ascii: ";")]).count, 2)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-not-a-png-\(UUID().uuidString).png")
        try Data("hello".utf8).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }
        let out = try FacecapProcess.run(["show", bad.path, "--image-mode", "sixel"])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stderr, "facecap: \(bad.path): not a PNG or JPEG file\n")
        let usage = try FacecapProcess.run(["show", Self.face.path, "--image-mode", "png"])
        XCTAssertEqual(usage.status, 64)
        XCTAssertTrue(usage.stderr.contains("--image-mode must be one of"), usage.stderr)
    }
}
