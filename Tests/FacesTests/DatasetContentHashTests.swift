import Foundation
import Tensor
import XCTest
@testable import Faces

final class DatasetContentHashTests: XCTestCase {
    /// FIPS 180-2 appendix B test vectors.
    func testPublishedSHA256Vectors() {
        XCTAssertEqual(SHA256Digest.of(bytes: []),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256Digest.of(bytes: Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Digest.of(bytes: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256Digest.of(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// hashes.txt holds Python hashlib's digests of the fixture files; file hashing reads in chunks,
    /// so a 20 KB CSV also checks the chunk seams.
    func testFileHashesMatchPythonHashlib() throws {
        let listing = try String(contentsOf: DatasetFixtures.url("hashes.txt"), encoding: .utf8)
        var checked = 0
        for line in listing.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            let path = parts[1].trimmingCharacters(in: .whitespaces)
            XCTAssertEqual(try SHA256Digest.of(file: DatasetFixtures.url(path)), String(parts[0]), path)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func testStreamingSeamsAgreeWithOneShot() {
        var bytes = [UInt8]()
        for i in 0..<1000 { bytes.append(UInt8(truncatingIfNeeded: i &* 31)) }
        let whole = SHA256Digest.of(bytes: bytes)
        for split in [1, 55, 56, 63, 64, 65, 127, 999] {
            var hasher = SHA256()
            bytes.withUnsafeBytes {
                hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<split]))
                hasher.update(UnsafeRawBufferPointer(rebasing: $0[split...]))
            }
            XCTAssertEqual(hasher.finishHex(), whole, "split at \(split)")
        }
    }

    func testItemHashes() throws {
        let url = DatasetFixtures.url("image_folder/img2.png")
        let file = FaceItem(id: "img2.png", source: .file(url))
        XCTAssertEqual(try file.contentHash(), SHA256Digest.of(data: try Data(contentsOf: url)))
        let a = FaceItem(id: "a", source: .inlineGrey(width: 2, height: 1, pixels: [1, 2]))
        let b = FaceItem(id: "b", source: .inlineGrey(width: 1, height: 2, pixels: [1, 2]))
        XCTAssertNotEqual(try a.contentHash(), try b.contentHash(), "same pixels, different shape")
        XCTAssertThrowsError(try FaceItem(id: "x", source: .file(URL(fileURLWithPath: "/no/such.png"))).contentHash())
    }
}
