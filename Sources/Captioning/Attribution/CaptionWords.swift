import Foundation

/// A caption's words lined up with the generated tokens that wrote them, so per-token numbers
/// (probabilities, attention maps) can be shown per word.
public struct CaptionWord: Sendable, Hashable {
    public var text: String
    /// Character offsets in the caption.
    public var start: Int
    public var end: Int
    /// Indices of the generated tokens that contribute characters to this word.
    public var tokens: [Int]
}

public enum CaptionWords {
    /// `pieces` is the text each token added (`FaceCaptioner.tokenPieces`); `caption` is their
    /// concatenation with surrounding whitespace trimmed, as captioners return it. Words are runs of
    /// non-whitespace characters. A token that adds only whitespace or nothing (eos) belongs to no word.
    public static func align(caption: String, pieces: [String]) -> [CaptionWord] {
        let text = Array(caption)
        let joined = Array(pieces.joined())
        // Where the caption starts inside the joined pieces (leading whitespace was trimmed).
        let lead = joined.prefix { $0.isWhitespace }.count
        var owner = [[Int]](repeating: [], count: text.count)
        var offset = -lead
        for (t, piece) in pieces.enumerated() {
            for _ in piece {
                if offset >= 0 && offset < text.count && !text[offset].isWhitespace { owner[offset].append(t) }
                offset += 1
            }
        }
        var words: [CaptionWord] = []
        var i = 0
        while i < text.count {
            if text[i].isWhitespace { i += 1; continue }
            var j = i, tokens: [Int] = []
            while j < text.count && !text[j].isWhitespace {
                for t in owner[j] where tokens.last != t && !tokens.contains(t) { tokens.append(t) }
                j += 1
            }
            words.append(CaptionWord(text: String(text[i..<j]), start: i, end: j, tokens: tokens))
            i = j
        }
        return words
    }

    /// A word's confidence: the lowest probability among its tokens (a word is as sure as its least
    /// sure piece); nil without log-probs for it.
    public static func confidence(_ word: CaptionWord, logprobs: [Float]) -> Float? {
        let values = word.tokens.filter { logprobs.indices.contains($0) }.map { expf(logprobs[$0]) }
        return values.min()
    }
}

/// The text each token adds to a decoded caption. Byte-level BPE may split a character over two
/// tokens; the first then decodes to a replacement character, so a prefix's trailing replacement
/// characters are held back until the token that completes them (which gets the character).
enum TokenPieces {
    static func pieces(_ ids: [Int], tokenizer: BPETokenizer) -> [String] {
        var previous = ""
        return ids.indices.map { i in
            var text = tokenizer.decode(Array(ids[0...i]), skipSpecialTokens: true)
            if i < ids.count - 1 { while text.hasSuffix("\u{FFFD}") { text.removeLast() } }
            defer { if text.hasPrefix(previous) { previous = text } }
            return text.hasPrefix(previous) ? String(text.dropFirst(previous.count))
                : tokenizer.decode([ids[i]], skipSpecialTokens: true)
        }
    }
}
