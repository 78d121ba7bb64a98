/// A token matched as a whole string before BPE (`</s>`, `<pad>`, `<image>`), with Hugging Face's flags.
public struct AddedToken: Equatable, Sendable {
    public var content: String
    public var id: Int
    /// Swallow whitespace on the left / right of a match.
    public var lstrip = false
    public var rstrip = false
    /// Match only when not glued to letters or digits on either side.
    public var singleWord = false
    /// Matched after normalization (a second pass, see `AddedTokenSplitter`) instead of on raw text.
    public var normalized = false
    /// Special tokens are dropped by `decode(skipSpecialTokens: true)`.
    public var special = false

    public init(content: String, id: Int, lstrip: Bool = false, rstrip: Bool = false,
                singleWord: Bool = false, normalized: Bool = false, special: Bool = false) {
        self.content = content
        self.id = id
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
        self.normalized = normalized
        self.special = special
    }
}

/// Cuts text into added tokens and the plain stretches between them, as `tokenizers`'
/// AddedVocabulary does: leftmost-longest exact matches (its Aho-Corasick automaton), first of the
/// non-normalized tokens on the raw text, then of the normalized ones inside what is left.
/// (There is no normalizer for GPT-2/OPT, so "normalized" only changes the pass a token is in.)
public struct AddedTokenSplitter: Sendable {
    public enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    private struct Pattern: Sendable {
        let bytes: [UInt8]
        let token: AddedToken
    }

    private let rawPass: [UInt8: [Pattern]]
    private let normalizedPass: [UInt8: [Pattern]]

    public init(_ tokens: [AddedToken]) {
        func index(_ tokens: [AddedToken]) -> [UInt8: [Pattern]] {
            var byFirstByte: [UInt8: [Pattern]] = [:]
            for t in tokens where !t.content.isEmpty {
                let bytes = Array(t.content.utf8)
                byFirstByte[bytes[0], default: []].append(Pattern(bytes: bytes, token: t))
            }
            // Longest first, so the first pattern that matches at a position is the longest.
            return byFirstByte.mapValues { $0.sorted { $0.bytes.count > $1.bytes.count } }
        }
        rawPass = index(tokens.filter { !$0.normalized })
        normalizedPass = index(tokens.filter { $0.normalized })
    }

    /// `bytes` must be valid UTF-8.
    public func split(_ bytes: [UInt8]) -> [Segment] {
        var out: [Segment] = []
        for segment in split(bytes, in: 0..<bytes.count, patterns: rawPass) {
            if case .text(let r) = segment, !normalizedPass.isEmpty {
                out += split(bytes, in: r, patterns: normalizedPass)
            } else {
                out.append(segment)
            }
        }
        return out
    }

    private func split(_ bytes: [UInt8], in range: Range<Int>, patterns: [UInt8: [Pattern]]) -> [Segment] {
        guard !patterns.isEmpty else { return range.isEmpty ? [] : [.text(range)] }
        var out: [Segment] = []
        var emitted = range.lowerBound  // everything before this is in `out`
        var i = range.lowerBound        // where the search for the next match resumes
        while i < range.upperBound {
            guard let candidates = patterns[bytes[i]],
                  let p = candidates.first(where: { matches($0.bytes, bytes, at: i, end: range.upperBound) })
            else { i += 1; continue }
            let matchEnd = i + p.bytes.count
            defer { i = matchEnd }
            if p.token.singleWord {
                let wordBefore = i > range.lowerBound && isWordScalar(UTF8Scalars.decode(bytes, before: i).0)
                let wordAfter = matchEnd < range.upperBound && isWordScalar(UTF8Scalars.decode(bytes, at: matchEnd).0)
                if wordBefore || wordAfter { continue }
            }
            // A match starting inside whitespace swallowed by the previous rstrip token would
            // overlap it; `tokenizers` then emits overlapping pieces, we skip the match instead.
            guard i >= emitted else { continue }
            var start = i, end = matchEnd
            if p.token.lstrip {
                while start > emitted {
                    let (scalar, s) = UTF8Scalars.decode(bytes, before: start)
                    guard scalar.properties.isWhitespace else { break }
                    start = s
                }
            }
            if p.token.rstrip {
                while end < range.upperBound {
                    let (scalar, length) = UTF8Scalars.decode(bytes, at: end)
                    guard scalar.properties.isWhitespace else { break }
                    end += length
                }
            }
            if emitted < start { out.append(.text(emitted..<start)) }
            out.append(.token(p.token.id))
            emitted = end
        }
        if emitted < range.upperBound { out.append(.text(emitted..<range.upperBound)) }
        return out
    }

    private func matches(_ pattern: [UInt8], _ bytes: [UInt8], at i: Int, end: Int) -> Bool {
        guard end - i >= pattern.count else { return false }
        for k in 0..<pattern.count where bytes[i + k] != pattern[k] { return false }
        return true
    }

    /// Rust's `char::is_alphanumeric`, which `tokenizers` uses for single-word tokens.
    private func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isAlphabetic { return true }
        switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }
}
