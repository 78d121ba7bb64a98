/// GPT-2's reversible byte <-> character table (`bytes_to_unicode` in OpenAI's encoder.py).
///
/// Byte-level BPE vocabularies spell every token as a string of these 256 characters so that any
/// byte sequence, invalid UTF-8 included, has a spelling made only of visible characters: bytes that
/// are printable Latin-1 (`!`...`~`, `¡`...`¬`, `®`...`ÿ`) stand for themselves, and the other 68
/// (controls, space, DEL, NBSP, soft hyphen) are moved, in byte order, to U+0100, U+0101, ...
/// That is why a space shows up as `Ġ` (U+0120) and a newline as `Ċ` (U+010A) in vocab.json.
public enum ByteLevelAlphabet {
    /// The character that spells each byte.
    public static let scalarForByte: [Unicode.Scalar] = {
        func printable(_ b: Int) -> Bool {
            (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
        }
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var shifted = 0
        for b in 0..<256 {
            if printable(b) {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(UInt32(256 + shifted))!
                shifted += 1
            }
        }
        return table
    }()

    /// Inverse of `scalarForByte`, indexed by scalar value (all of them are below U+0144); -1 = none.
    private static let byteForScalar: [Int16] = {
        var inverse = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { inverse[Int(scalar.value)] = Int16(byte) }
        return inverse
    }()

    /// The byte a character spells, or nil for characters outside the alphabet.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let v = Int(scalar.value)
        guard v < byteForScalar.count, byteForScalar[v] >= 0 else { return nil }
        return UInt8(byteForScalar[v])
    }

    /// The raw bytes a vocabulary token stands for, or nil when the token contains a character
    /// outside the alphabet (possible for added tokens such as a literal `表`).
    public static func bytes(ofToken token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let b = byte(for: scalar) else { return nil }
            out.append(b)
        }
        return out
    }

    /// The vocabulary spelling of raw bytes.
    public static func token(ofBytes bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(scalarForByte[Int(b)]) }
        return String(s)
    }
}
