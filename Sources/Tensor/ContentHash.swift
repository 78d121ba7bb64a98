/// A 64-bit non-cryptographic hash, stable across processes and machines, for cache keys such
/// as a model's weight identity. Swift's `Hasher` is seeded per process, so it cannot be used;
/// swift-crypto is in the package mirror but is a heavy build for a cache key that never faces
/// an adversary. This is an xxhash64-style word-at-a-time mix (8 bytes per step, multiply and
/// rotate so high bits feed back into low ones) with the MurmurHash3 64-bit finalizer.
public struct ContentHash: Sendable {
    private static let k1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let k2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func combine(_ word: UInt64) {
        let mixed = rotateLeft(word &* ContentHash.k2, 31) &* ContentHash.k1
        state = rotateLeft(state ^ mixed, 27) &* ContentHash.k1 &+ ContentHash.k2
    }

    public mutating func combine(_ n: Int) { combine(UInt64(bitPattern: Int64(n))) }

    /// Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        combine(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            combine(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for k in offset..<bytes.count { tail |= UInt64(bytes[k]) << (8 * UInt64(k - offset)) }
            combine(tail)
        }
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public var value: UInt64 {
        var h = state
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// 16 lowercase hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private func rotateLeft(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
}
