/// The four classes GPT-2's pre-tokenization regex distinguishes:
/// `\p{L}` letters, `\p{N}` numbers, `\s` whitespace, and everything else.
public enum PreTokenClass: UInt8 {
    case letter, number, whitespace, other

    /// Class of a scalar as Hugging Face `tokenizers` sees it.
    ///
    /// `tokenizers` runs the regex with Oniguruma, where `\p{L}` / `\p{N}` are the general categories
    /// L* / N* and `\s` is exactly the Unicode White_Space property (25 scalars; U+180E, U+200B,
    /// U+FEFF and U+001C...U+001F are *not* whitespace there, unlike Python's `str.isspace`).
    /// Tests/Fixtures/tokenizer/scalar_classes.json records this for every scalar and the tests
    /// compare all 1,112,064 of them.
    public static func of(_ scalar: Unicode.Scalar) -> PreTokenClass {
        if scalar.value < 128 { return asciiTable[Int(scalar.value)] }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        // Oniguruma in tokenizers 0.23 knows Unicode 16.0; scalars assigned later are unassigned
        // (so "other") to it, while the Swift runtime may already know them as letters.
        guard let age = properties.age,
              age.major < hfUnicodeVersion.major
                || (age.major == hfUnicodeVersion.major && age.minor <= hfUnicodeVersion.minor)
        else { return .other }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// The newest Unicode version the reference tokenizer's regex engine knows.
    public static let hfUnicodeVersion = (major: 16, minor: 0)

    private static let asciiTable: [PreTokenClass] = (0..<128).map { v in
        switch UInt8(v) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case 0x09...0x0D, 0x20: return .whitespace
        default: return .other
        }
    }
}
