import Foundation
import Tensor
import XCTest
@testable import Faces

/// Damaged JPEGs: one InputError naming the data, never a crash, a hang or made-up pixels.
final class CorruptJPEGTests: XCTestCase {
    /// Every prefix of a file is truncated (libjpeg would fill the rest with grey and call it a success);
    /// a file cut just before its EOI marker too, since nothing proves the last scan was complete (PIL
    /// refuses those as well: "image file is truncated").
    func testEveryPrefixIsTruncated() throws {
        for name in ["baseline_420", "progressive_420", "restart_420", "grey", "cmyk"] {
            let good = try JPEGFixtures.bytes("decode/\(name).jpg")
            let lengths = ["baseline_420", "progressive_420"].contains(name) ? Array(0..<good.count)
                : [0, 1, 2, 3, 20, good.count / 2, good.count - 2, good.count - 1]
            for length in lengths {
                let error = problem { try JPEGDecoder.decode(data: Data(good[..<length]), name: "cut/\(name)") }
                XCTAssertEqual(error, InputError("cut/\(name)", length == 0 ? "file is empty" : "truncated JPEG data"),
                               "\(name) cut at \(length)")
            }
        }
        // Through a file as the commands read it, the error names the file.
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("facecap-cut-\(UUID().uuidString).jpg")
        defer { try? FileManager.default.removeItem(at: cut) }
        try Data(try JPEGFixtures.bytes("decode/progressive_420.jpg").prefix(700)).write(to: cut)
        XCTAssertEqual(problem { try FaceImageDecoder.decode(contentsOf: cut, alpha: .drop) },
                       InputError(cut.path, "truncated JPEG data"))
    }

    /// Seeded random byte damage: each decodes or throws InputError with the data's name.
    func testDamagedDataNeverCrashes() throws {
        var errors = 0, decoded = 0
        for name in ["baseline_420", "progressive_420", "restart_420", "grey", "cmyk"] {
            let good = try JPEGFixtures.bytes("decode/\(name).jpg")
            for damaged in seededDamage(good, copies: 200) {
                do {
                    _ = try JPEGDecoder.decode(data: Data(damaged), name: name)
                    decoded += 1
                } catch let error as InputError {
                    XCTAssertEqual(error.path, name)
                    XCTAssertFalse(error.problem.isEmpty || error.problem.contains("\n"), error.problem)
                    errors += 1
                } catch {
                    XCTFail("\(name): threw \(error), not InputError")
                }
            }
        }
        // Measured with libjpeg-turbo 2.1.5: 488 refused; 342 when libjpeg's warnings are ignored (its default,
        // and PIL's), the difference being damage libjpeg papers over with made-up pixels.
        XCTAssertGreaterThan(errors, 420, "damage caught (\(decoded) of 1000 still decoded)")
    }

    /// A header claiming 60000x60000 (libjpeg's limit is 65500 a side) is refused before any pixel memory
    /// or libjpeg buffer exists: 100 refusals of a 10.8 GB image take no time.
    func testLyingHugeHeaderIsRefusedBeforeAllocating() throws {
        let huge = try withSize(JPEGFixtures.bytes("decode/progressive_420.jpg"), 60000, 60000)
        let start = Date()
        for _ in 0..<100 {
            XCTAssertEqual(problem { try JPEGDecoder.decode(data: huge, name: "huge") }?.problem,
                           "image is 60000x60000 (3600 megapixels); facecap refuses images over 100 megapixels")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
        // The limit is PNG's, to the pixel.
        let over = problem { try JPEGDecoder.decode(data: try withSize(JPEGFixtures.bytes("decode/grey.jpg"), 10_001, 10_000), name: "over") }
        XCTAssertEqual(over?.problem, "image is 10001x10000 (100.0 megapixels); facecap refuses images over 100 megapixels")
    }

    /// Warnings that mean made-up pixels are errors; warnings about harmless junk are not.
    func testCorruptScanDataIsAnErrorButJunkBetweenSegmentsIsNot() throws {
        let good = try JPEGFixtures.bytes("decode/baseline_420.jpg")
        let sos = try XCTUnwrap(JPEGFixtures.segment(0xDA, in: good))
        let scan = sos + 2 + Int(good[sos + 2]) << 8 + Int(good[sos + 3])
        // All-ones bits are no code in any Huffman table (stuffed as FF 00 in scan data).
        var ones = good
        for i in stride(from: scan, to: scan + 40, by: 2) { ones[i] = 0xFF; ones[i + 1] = 0x00 }
        XCTAssertEqual(problem { try JPEGDecoder.decode(data: Data(ones), name: "ones") },
                       InputError("ones", "corrupt JPEG data (bad Huffman code)"))

        // Two stray bytes before the SOS marker: libjpeg skips them with a warning, PIL decodes, so do we.
        var junk = good
        junk.insert(contentsOf: [0x12, 0x34], at: sos)
        XCTAssertEqual(try JPEGDecoder.decode(data: Data(junk), name: "junk").pixels, try JPEGFixtures.bytes("decode/baseline_420.rgb"))
    }

    func testNotAJPEG() {
        XCTAssertEqual(problem { try JPEGDecoder.decode(data: Data("GIF89a".utf8), name: "g") }, InputError("g", "not a JPEG file"))
        XCTAssertEqual(problem { try JPEGDecoder.decode(contentsOf: URL(fileURLWithPath: "/nonexistent/f.jpg")) },
                       InputError("/nonexistent/f.jpg", "cannot read file: No such file or directory"))
        XCTAssertEqual(problem { try JPEGDecoder.decode(contentsOf: JPEGFixtures.url("decode")) }?.problem,
                       "cannot read file: Is a directory")
    }
}

/// A JPEG with its frame header's (SOF0 or SOF2) height and width replaced.
private func withSize(_ jpeg: [UInt8], _ width: UInt16, _ height: UInt16) throws -> Data {
    var bytes = jpeg
    let sof = try XCTUnwrap(JPEGFixtures.segment(0xC0, in: bytes) ?? JPEGFixtures.segment(0xC2, in: bytes))
    bytes[sof + 5] = UInt8(height >> 8); bytes[sof + 6] = UInt8(height & 0xFF)
    bytes[sof + 7] = UInt8(width >> 8); bytes[sof + 8] = UInt8(width & 0xFF)
    return Data(bytes)
}
