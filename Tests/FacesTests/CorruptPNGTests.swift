import Faces
import Foundation
import Tensor
import XCTest

final class CorruptPNGTests: XCTestCase {
    func testCorruptFilesAreRefusedWithTheirProblem() throws {
        let expected = try XCTUnwrap(ImageFixtures.json("corrupt/manifest.json") as? [String: String])
        XCTAssertGreaterThanOrEqual(expected.count, 9)
        for (name, message) in expected.sorted(by: { $0.key < $1.key }) {
            let url = ImageFixtures.url("corrupt/\(name)")
            for error in [problem { try PNGDecoder.decode(contentsOf: url) },
                          problem { try PNGDecoder.decode(data: try Data(contentsOf: url), name: "archive/\(name)") }] {
                guard let error else { continue }
                XCTAssertTrue(error.path == url.path || error.path == "archive/\(name)", error.path)
                // zlib's wording for bad deflate data varies between versions; the rest is exact.
                if name == "bad_zlib.png" {
                    XCTAssertTrue(error.problem.hasPrefix("corrupt PNG data ("), "\(name): \(error.problem)")
                } else {
                    XCTAssertEqual(error.problem, message, name)
                }
            }
        }
    }

    func testLyingHugeHeaderIsRefusedBeforeAllocating() throws {
        let url = ImageFixtures.url("corrupt/huge_ihdr.png")
        let start = Date()
        for _ in 0..<100 {
            _ = problem { try PNGDecoder.decode(contentsOf: url) }
        }
        // 100 refusals of a 30 GB image: only possible if nothing of that size is touched.
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0)
    }

    func testPixelLimitIsExactly100Megapixels() throws {
        let tiny = try Data(contentsOf: ImageFixtures.url("decode/rgb8_1x1_interlaced.png"))
        let over = problem { try PNGDecoder.decode(data: withSize(tiny, 10_001, 10_000), name: "over") }
        XCTAssertEqual(over?.problem, "image is 10001x10000 (100.0 megapixels); facecap refuses images over 100 megapixels")
        // At the limit the size is accepted; the 1x1 pixel data then runs out.
        let at = problem { try PNGDecoder.decode(data: withSize(tiny, 10_000, 10_000), name: "at") }
        XCTAssertEqual(at?.problem.hasPrefix("corrupt PNG data ("), true, at?.problem ?? "")
    }

    func testMissingFileAndDirectory() {
        let missing = problem { try PNGDecoder.decode(contentsOf: URL(fileURLWithPath: "/nonexistent/face.png")) }
        XCTAssertEqual(missing, InputError("/nonexistent/face.png", "cannot read file: No such file or directory"))
        let directory = problem { try PNGDecoder.decode(contentsOf: ImageFixtures.url("corrupt")) }
        XCTAssertEqual(directory?.problem, "cannot read file: Is a directory")
    }

    /// Every prefix of a valid file, and seeded random byte damage: each must decode or throw
    /// InputError, never crash or hang.
    func testDamagedDataNeverCrashes() throws {
        for name in ["rgb8_interlaced", "palette2_trns", "grey_alpha16"] {
            let good = [UInt8](try Data(contentsOf: ImageFixtures.url("decode/\(name).png")))
            let whole = try PNGDecoder.decode(data: Data(good), name: name)
            for length in 0..<good.count {
                do {
                    // Like PIL, a file cut after its pixel data (no IEND) still yields the image.
                    let image = try PNGDecoder.decode(data: Data(good[..<length]), name: name)
                    XCTAssertEqual(image, whole, "\(name) cut at \(length)")
                    XCTAssertGreaterThan(length, good.count / 2, "\(name) cut at \(length) decoded")
                } catch {
                    XCTAssertEqual((error as? InputError)?.problem, length == 0 ? "file is empty" : "truncated PNG data",
                                   "\(name) cut at \(length)")
                }
            }
            for damaged in seededDamage(good, copies: 300) {
                do {
                    _ = try PNGDecoder.decode(data: Data(damaged), name: name, alpha: .compositeOntoWhite)
                } catch {
                    XCTAssertTrue(error is InputError, "\(error)")
                }
            }
        }
    }
}

/// A PNG with its IHDR size replaced and the chunk CRC recomputed.
private func withSize(_ png: Data, _ width: UInt32, _ height: UInt32) -> Data {
    var bytes = [UInt8](png)
    for (i, value) in [width, height].enumerated() {
        for b in 0..<4 { bytes[16 + 4 * i + b] = UInt8(truncatingIfNeeded: value >> (24 - 8 * b)) }
    }
    let crc = crc32(bytes[12..<29])
    for b in 0..<4 { bytes[29 + b] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * b)) }
    return Data(bytes)
}

private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
