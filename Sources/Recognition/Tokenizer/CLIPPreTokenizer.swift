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
        let text = ClassifiedScalars(bytes, in: 0..<bytes.count)
        let n = text.count, classes = text.classes
        var result: [Range<Int>] = []
        var k = 0
        while k < n {
            var e: Int
            if let contraction = text.contractionEnd(at: k) {
                e = contraction
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
            result.append(text.byteRange(k, e))
            k = e
        }
        return result
    }
}
