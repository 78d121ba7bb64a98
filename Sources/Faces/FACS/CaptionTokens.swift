/// A word of a caption: lower-cased text, where it sits in the original string (for highlighting)
/// and which clause it belongs to. Clauses end at . , ; : ! ? ( ) and line breaks; a phrase never
/// spans two, so "raises inner eyebrow, lowers lip" cannot read as "eyebrow ... lowers".
struct CaptionToken {
    let text: String
    let range: Range<String.Index>
    let clause: Int

    /// Words that negate what follows them in the same clause: "not", "no", "isn't", ...
    var isNegator: Bool {
        ["not", "no", "never", "without", "nor", "neither", "cannot", "none"].contains(text) || text.hasSuffix("n't")
    }

    /// Words a phrase may not skip over: a conjunction starts another phrase.
    var isConjunction: Bool {
        ["and", "or", "but", "while", "whereas", "although", "though"].contains(text)
    }
}

func tokenizeCaption(_ caption: String) -> [CaptionToken] {
    var tokens: [CaptionToken] = []
    var clause = 0
    var wordStart: String.Index?
    var word = ""
    func finishWord(at end: String.Index) {
        if let start = wordStart {
            // A trailing apostrophe belongs to quoting, not to the word.
            var text = word
            var wordEnd = end
            while text.hasSuffix("'") {
                text.removeLast()
                wordEnd = caption.index(before: wordEnd)
            }
            if !text.isEmpty { tokens.append(CaptionToken(text: text, range: start..<wordEnd, clause: clause)) }
        }
        wordStart = nil
        word = ""
    }
    var index = caption.startIndex
    while index < caption.endIndex {
        let character = caption[index]
        if character.isLetter || character.isNumber || ((character == "'" || character == "\u{2019}") && wordStart != nil) {
            if wordStart == nil { wordStart = index }
            word += character == "\u{2019}" ? "'" : character.lowercased()
        } else {
            finishWord(at: index)
            if ".,;:!?()\n".contains(character) { clause += 1 }
        }
        index = caption.index(after: index)
    }
    finishWord(at: caption.endIndex)
    return tokens
}
