/// Sebastiano Vigna's SplitMix64: a tiny seedable generator whose output sequence is fixed by its seed.
///
/// Study design must be reproducible from the study seed on every machine and every Swift version,
/// and `SystemRandomNumberGenerator` cannot be seeded, so sampling and blinding draw from this instead.
/// It is not cryptographic; it only has to be unpredictable to a rater, not to an adversary.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound without modulo bias (Lemire's multiply-and-reject), written out
    /// rather than using `Int.random(in:using:)` so the draw sequence cannot change with the standard library.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }
}

/// FNV-1a over UTF-8 bytes: a hash that is the same in every process, unlike Swift's `Hasher`,
/// which is randomly seeded per launch and so would give each rater session a different blinding.
func stableHash(_ text: String, into hash: inout UInt64) {
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    // A separator so ("ab", "c") and ("a", "bc") hash differently.
    hash ^= 0xFF
    hash &*= 0x0000_0100_0000_01B3
}

let fnvOffsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
