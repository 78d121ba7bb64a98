/// A phrase to find in a caption, written compactly:
/// - slots are separated by spaces and must appear in order;
/// - `a|b` in a slot accepts either word;
/// - `~verb` accepts the verb's forms ("~raise": raise, raises, raised, raising);
/// - between two slots up to `maxGap` other words may stand ("raises *the* inner eyebrow",
///   "brows *are* raised"), but no conjunction and nothing across a clause break.
/// Matching is by whole lower-cased words, so "part" never matches "partially".
struct PhrasePattern {
    static let maxGap = 2

    let slots: [Set<String>]
    let actionUnits: [Int]

    init(_ text: String, actionUnits: [Int]) {
        slots = text.split(separator: " ").map { slot in
            Set(slot.split(separator: "|").flatMap { alternative -> [String] in
                alternative.hasPrefix("~") ? verbForms(String(alternative.dropFirst())) : [String(alternative)]
            })
        }
        self.actionUnits = actionUnits
    }

    /// Where the pattern matches when its first slot is token `start`: the index of the last token
    /// and the skipped tokens, preferring the tightest match.
    func match(_ tokens: [CaptionToken], from start: Int) -> (end: Int, skipped: [Int])? {
        guard slots[0].contains(tokens[start].text) else { return nil }
        return matchRest(tokens, slot: 1, after: start, skipped: [])
    }

    private func matchRest(_ tokens: [CaptionToken], slot: Int, after position: Int,
                           skipped: [Int]) -> (end: Int, skipped: [Int])? {
        if slot == slots.count { return (position, skipped) }
        var gap: [Int] = []
        var next = position + 1
        while next < tokens.count, tokens[next].clause == tokens[position].clause, gap.count <= Self.maxGap {
            if slots[slot].contains(tokens[next].text),
               let found = matchRest(tokens, slot: slot + 1, after: next, skipped: skipped + gap) {
                return found
            }
            if tokens[next].isConjunction { return nil }
            gap.append(next)
            next += 1
        }
        return nil
    }
}

/// The forms a caption may use of a verb: base, third person, past, participle, gerund.
func verbForms(_ verb: String) -> [String] {
    let irregular: [String: [String]] = [
        "stick": ["stick", "sticks", "stuck", "sticking"],
        "draw": ["draw", "draws", "drew", "drawn", "drawing"],
        "show": ["show", "shows", "showed", "shown", "showing"],
        "rise": ["rise", "rises", "rose", "risen", "rising"],
        "shut": ["shut", "shuts", "shutting"],
        "funnel": ["funnel", "funnels", "funneled", "funnelled", "funneling", "funnelling"],
    ]
    if let forms = irregular[verb] { return forms }
    // Short verbs that double their last consonant.
    if ["drop", "knit", "grin"].contains(verb), let last = verb.last {
        return [verb, verb + "s", verb + String(last) + "ed", verb + String(last) + "ing"]
    }
    if verb.hasSuffix("e") {
        let stem = String(verb.dropLast())
        return [verb, verb + "s", verb + "d", stem + "ing"]
    }
    if ["s", "sh", "ch", "x", "z"].contains(where: { verb.hasSuffix($0) }) {
        return [verb, verb + "es", verb + "ed", verb + "ing"]
    }
    return [verb, verb + "s", verb + "ed", verb + "ing"]
}
