/// Minimal UTF-8 reading for byte arrays that came from a Swift `String` (hence valid).
public enum UTF8Scalars {
    public static func decode(_ bytes: [UInt8], at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        if b0 < 0xE0 {
            return (scalar(((b0 & 0x1F) << 6) | UInt32(bytes[i + 1] & 0x3F)), 2)
        }
        if b0 < 0xF0 {
            return (scalar(((b0 & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)), 3)
        }
        let v = ((b0 & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
            | (UInt32(bytes[i + 2] & 0x3F) << 6) | UInt32(bytes[i + 3] & 0x3F)
        return (scalar(v), 4)
    }

    /// The scalar that ends just before byte `end`, and where it starts.
    public static func decode(_ bytes: [UInt8], before end: Int) -> (Unicode.Scalar, Int) {
        var start = end - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return (decode(bytes, at: start).0, start)
    }

    private static func scalar(_ v: UInt32) -> Unicode.Scalar { Unicode.Scalar(v) ?? "\u{FFFD}" }
}
