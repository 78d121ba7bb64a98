import BPE
import Foundation

/// CLIP's text normalisation and split, as the `tokenizers` pipeline of transformers' `CLIPTokenizer`:
/// normaliser NFC, `\s+` -> " ", lower case (each scalar's own lower-case mapping, as Rust's
/// `char::to_lowercase`); then the pieces matched by
///
///     's|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
///
/// with everything between matches (whitespace) dropped. The byte-level step after it re-splits with
/// GPT-2's pattern, which never cuts one of these pieces, so it is left out. Written as a scan for the
/// reasons `GPT2PreTokenizer` gives (the regex engine's Unicode tables must be the reference's).
enum CLIPPreTokenizer {
    static func normalize(_ text: String) -> String {
        let composed = text.precomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        var inSpace = false
        for scalar in composed.unicodeScalars {
            if PreTokenClass.of(scalar) == .whitespace {
                if !inSpace { out.append(" ") }
                inSpace = true
                continue
            }
            inSpace = false
            out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(out)
    }

    /// Byte ranges of the pieces of `bytes` (valid UTF-8).
    static func pieces(of bytes: [UInt8]) -> [Range<Int>] {
        var starts: [Int] = []
        var classes: [PreTokenClass] = []
        var i = 0
        while i < bytes.count {
            let (scalar, length) = UTF8Scalars.decode(bytes, at: i)
            starts.append(i)
            classes.append(PreTokenClass.of(scalar))
            i += length
        }
        let n = starts.count
        func isASCII(_ k: Int, _ c: Unicode.Scalar) -> Bool { k < n && bytes[starts[k]] == UInt8(c.value) }
        var result: [Range<Int>] = []
        var k = 0
        while k < n {
            var e: Int
            if isASCII(k, "'"), isASCII(k + 1, "s") || isASCII(k + 1, "t") || isASCII(k + 1, "m") || isASCII(k + 1, "d") {
                e = k + 2
            } else if isASCII(k, "'"), (isASCII(k + 1, "r") && isASCII(k + 2, "e")) || (isASCII(k + 1, "v") && isASCII(k + 2, "e"))
                        || (isASCII(k + 1, "l") && isASCII(k + 2, "l")) {
                e = k + 3
            } else {
                switch classes[k] {
                case .whitespace:
                    k += 1
                    continue
                case .number:
                    e = k + 1
                case .letter, .other:
                    e = k + 1
                    while e < n, classes[e] == classes[k] { e += 1 }
                }
            }
            result.append(starts[k]..<(e < n ? starts[e] : bytes.count))
            k = e
        }
        return result
    }
}
