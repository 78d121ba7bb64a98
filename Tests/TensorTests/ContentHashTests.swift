import XCTest
@testable import Tensor

final class ContentHashTests: XCTestCase {
    private func hash(_ parts: [[UInt8]]) -> UInt64 {
        var h = ContentHash()
        for part in parts { part.withUnsafeBytes { h.combine(bytes: $0) } }
        return h.value
    }

    func testDeterministicAndLengthPrefixed() {
        XCTAssertEqual(hash([[1, 2, 3]]), hash([[1, 2, 3]]))
        XCTAssertNotEqual(hash([[1, 2], [3]]), hash([[1], [2, 3]]))
        XCTAssertNotEqual(hash([[0]]), hash([[0, 0]]), "trailing zero bytes must count")
        XCTAssertNotEqual(hash([[]]), hash([]))
    }

    func testEveryBitOfAWordMatters() {
        // Any single flipped bit in a 24-byte input (whole words and a tail) changes the hash.
        let base = [UInt8](0..<19)
        let reference = hash([base])
        var seen: Set<UInt64> = [reference]
        for byte in base.indices {
            for bit in 0..<8 {
                var flipped = base
                flipped[byte] ^= UInt8(1 << bit)
                seen.insert(hash([flipped]))
            }
        }
        XCTAssertEqual(seen.count, 1 + base.count * 8)
    }

    func testHexIsSixteenDigits() {
        var h = ContentHash()
        h.combine("x")
        XCTAssertEqual(h.hex.count, 16)
        XCTAssertEqual(UInt64(h.hex, radix: 16), h.value)
    }
}
