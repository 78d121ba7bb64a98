import CJPEGDecode
import CPNGDecode
import Foundation
import Tensor
import XCTest
@testable import Faces

enum JPEGFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/jpeg")

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func bytes(_ relative: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: url(relative))) }

    /// decode/manifest.json: NAME -> width, height (and `known` levels for known_blocks).
    static func manifest() throws -> [String: [String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url("decode/manifest.json"))) as? [String: [String: Any]])
    }

    /// Offset of the first marker `code` (0xC0 SOF0, 0xDA SOS, ...) walking the segments from SOI.
    static func segment(_ code: UInt8, in bytes: [UInt8]) -> Int? {
        var i = 2
        while i + 3 < bytes.count, bytes[i] == 0xFF {
            if bytes[i + 1] == code { return i }
            i += 2 + Int(bytes[i + 2]) << 8 + Int(bytes[i + 3])
        }
        return nil
    }
}

/// libjpeg-turbo through CJPEGDecode against PIL's decode of the same files (Training/make_jpeg_fixtures.py).
/// Both use libjpeg-turbo with its accurate integer IDCT (JDCT_ISLOW, exact integer arithmetic) and fancy
/// upsampling, so the tolerance is zero: every byte must match.
final class JPEGDecoderTests: XCTestCase {
    func testEveryKindMatchesPILExactly() throws {
        let manifest = try JPEGFixtures.manifest()
        XCTAssertEqual(Set(manifest.keys), ["baseline_420", "baseline_422", "baseline_444", "progressive_420",
                                            "restart_420", "grey", "cmyk", "known_blocks"])
        for (name, entry) in manifest.sorted(by: { $0.key < $1.key }) {
            let url = JPEGFixtures.url("decode/\(name).jpg")
            let expected = try JPEGFixtures.bytes("decode/\(name).rgb")
            let fromFile = try JPEGDecoder.decode(contentsOf: url)
            XCTAssertEqual([fromFile.width, fromFile.height], [entry["width"] as? Int, entry["height"] as? Int], name)
            let mismatches = zip(fromFile.pixels, expected).filter { $0 != $1 }.count
            XCTAssertEqual(fromFile.pixels.count, expected.count, name)
            XCTAssertEqual(mismatches, 0, "\(name): \(mismatches) bytes differ from PIL")
            XCTAssertEqual(try JPEGDecoder.decode(data: Data(contentsOf: url), name: name), fromFile, "\(name) from memory")
            XCTAssertEqual(try FaceImageDecoder.decode(contentsOf: url, alpha: .compositeOntoWhite), fromFile, "\(name) via the seam")
        }
    }

    /// Independent of PIL: flat grey 8x8 blocks at quality 100 are DC-only with quantiser 1, so they decode
    /// to exactly their level.
    func testKnownPixels() throws {
        let levels = try XCTUnwrap(try JPEGFixtures.manifest()["known_blocks"]?["known"] as? [Int])
        let image = try JPEGDecoder.decode(contentsOf: JPEGFixtures.url("decode/known_blocks.jpg"))
        XCTAssertEqual([image.width, image.height], [8 * levels.count, 16])
        for y in 0..<image.height {
            for x in 0..<image.width {
                let level = UInt8(levels[x / 8])
                let offset = 3 * (y * image.width + x)
                XCTAssertEqual(Array(image.pixels[offset..<offset + 3]), [level, level, level], "(\(x), \(y))")
            }
        }
    }

    /// The decoder is chosen by content: a JPEG named .png and a PNG named .jpg both decode.
    func testSeamPicksTheDecoderByContent() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-jpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let jpegAsPNG = folder.appendingPathComponent("face.png")
        try FileManager.default.copyItem(at: JPEGFixtures.url("decode/baseline_420.jpg"), to: jpegAsPNG)
        XCTAssertEqual(try FaceImageDecoder.decode(contentsOf: jpegAsPNG, alpha: .drop).pixels,
                       try JPEGFixtures.bytes("decode/baseline_420.rgb"))
        let pngAsJPEG = folder.appendingPathComponent("face.jpg")
        try FileManager.default.copyItem(at: ImageFixtures.url("decode/rgb8_interlaced.png"), to: pngAsJPEG)
        XCTAssertEqual(try FaceImageDecoder.decode(contentsOf: pngAsJPEG, alpha: .drop),
                       try PNGDecoder.decode(contentsOf: ImageFixtures.url("decode/rgb8_interlaced.png")))

        func problem(_ url: URL) -> InputError? {
            do { _ = try FaceImageDecoder.decode(contentsOf: url, alpha: .drop); return nil } catch { return error as? InputError }
        }
        let gif = folder.appendingPathComponent("face.gif")
        try Data("GIF89a not ours".utf8).write(to: gif)
        XCTAssertEqual(problem(gif), InputError(gif.path, "not a PNG or JPEG file"))
        let empty = folder.appendingPathComponent("empty.jpg")
        try Data().write(to: empty)
        XCTAssertEqual(problem(empty), InputError(empty.path, "file is empty"))
        XCTAssertEqual(problem(URL(fileURLWithPath: "/nonexistent/face.jpg")),
                       InputError("/nonexistent/face.jpg", "cannot read file: No such file or directory"))
        XCTAssertEqual(problem(folder), InputError(folder.path, "cannot read file: Is a directory"))
        // A file cut inside its signature still goes to its decoder, which says what is wrong.
        let stub = folder.appendingPathComponent("stub.jpg")
        try Data([0xFF]).write(to: stub)
        XCTAssertEqual(problem(stub), InputError(stub.path, "truncated JPEG data"))
        try Data([0x89, 0x50, 0x4E]).write(to: stub)
        XCTAssertEqual(problem(stub), InputError(stub.path, "truncated PNG data"))
    }

    /// Both C decoders' statuses are read as one DecodeStatus, by value.
    func testCStatusesShareOneOrder() {
        let shared: [DecodeStatus] = [.ok, .empty, .wrongFormat, .truncated, .corrupt, .tooLarge, .outOfMemory, .io]
        let png = [PNG_DECODE_OK, PNG_DECODE_EMPTY, PNG_DECODE_NOT_PNG, PNG_DECODE_TRUNCATED, PNG_DECODE_CORRUPT,
                   PNG_DECODE_TOO_LARGE, PNG_DECODE_OUT_OF_MEMORY, PNG_DECODE_IO]
        let jpeg = [JPEG_DECODE_OK, JPEG_DECODE_EMPTY, JPEG_DECODE_NOT_JPEG, JPEG_DECODE_TRUNCATED, JPEG_DECODE_CORRUPT,
                    JPEG_DECODE_TOO_LARGE, JPEG_DECODE_OUT_OF_MEMORY, JPEG_DECODE_IO]
        XCTAssertEqual(png.map { DecodeStatus(rawValue: UInt32($0.rawValue)) }, shared)
        XCTAssertEqual(jpeg.map { DecodeStatus(rawValue: UInt32($0.rawValue)) }, shared)
    }

    func testFormatSniffing() {
        XCTAssertEqual(FaceImageDecoder.format(head: [0xFF, 0xD8, 0xFF, 0xE0]), .jpeg)
        XCTAssertEqual(FaceImageDecoder.format(head: FaceImageDecoder.pngSignature), .png)
        XCTAssertNil(FaceImageDecoder.format(head: [0xFF, 0xD9]))
        XCTAssertNil(FaceImageDecoder.format(head: Array("BM6".utf8)))
    }
}
