/// What a caption says about a face: the emotions and action units it names, with where it names
/// them (the explorer colours these spans, as in the paper's figure 6), and whether it contradicts
/// the ground truth.
///
/// Negation is handled simply: a mention is dropped when a negating word ("not", "no", "never",
/// "without", "neither", "nor", "...n't") stands within the three words before it in the same
/// clause, or inside the phrase ("brows are not raised"). So "not happy" names no emotion, and the
/// paper's no-AU description ("... not raised or furrowed") names no action. Negated mentions are
/// not highlighted either.
public struct CaptionAnalysis: Sendable {
    public let caption: String
    /// Each non-negated emotion word, canonical emotion ("happiness") and its span, in caption order.
    public var emotions: [(emotion: String, range: Range<String.Index>)]
    /// Each non-negated action phrase and its span; a phrase naming two AUs ("raised eyebrows" = 1+2)
    /// gives two entries with the same range.
    public var actions: [(au: Int, range: Range<String.Index>)]

    /// The distinct emotions named, in order of first mention.
    public var namedEmotions: [Emotion] {
        var seen: [Emotion] = []
        for mention in emotions {
            if let emotion = Emotion(rawValue: mention.emotion), !seen.contains(emotion) { seen.append(emotion) }
        }
        return seen
    }

    /// The distinct action units named, ascending.
    public var actionUnits: [Int] { Array(Set(actions.map(\.au))).sorted() }

    public static func analyze(_ caption: String) -> CaptionAnalysis {
        let tokens = tokenizeCaption(caption)

        // Every pattern match, then keep the longest phrases first and drop whatever overlaps them.
        var taken = [Bool](repeating: false, count: tokens.count)
        var actionMentions: [(start: Int, aus: [Int], range: Range<String.Index>)] = []
        for pattern in ActionPhrases.patterns {
            for start in tokens.indices where !taken[start] {
                guard let found = pattern.match(tokens, from: start),
                      !(start...found.end).contains(where: { taken[$0] }) else { continue }
                for index in start...found.end { taken[index] = true }
                let negated = found.skipped.contains { tokens[$0].isNegator } || isNegated(tokens, before: start)
                if !negated {
                    actionMentions.append((start, pattern.actionUnits,
                                           tokens[start].range.lowerBound..<tokens[found.end].range.upperBound))
                }
            }
        }
        actionMentions.sort { $0.start < $1.start }

        var emotions: [(emotion: String, range: Range<String.Index>)] = []
        for (index, token) in tokens.enumerated() where !taken[index] {
            if let emotion = EmotionWords.byWord[token.text], !isNegated(tokens, before: index) {
                emotions.append((emotion.rawValue, token.range))
            }
        }
        let actions = actionMentions.flatMap { mention in mention.aus.map { (au: $0, range: mention.range) } }
        return CaptionAnalysis(caption: caption, emotions: emotions, actions: actions)
    }

    /// True when the caption names at least one emotion, the labels name at least one, and none of
    /// the caption's emotions is among the labels' ("fear and surprise" is matched by either).
    /// A caption that names no emotion, or a face without an emotion label, never disagrees; one
    /// that names the truth and another emotion is `EmotionVerdict.partial`, not this.
    public func disagrees(with labels: FaceLabels) -> Bool {
        verdict(against: labels) == .disagrees
    }

    private static func isNegated(_ tokens: [CaptionToken], before start: Int) -> Bool {
        var index = start - 1
        while index >= 0, index >= start - 3, tokens[index].clause == tokens[start].clause {
            if tokens[index].isNegator { return true }
            index -= 1
        }
        return false
    }
}
