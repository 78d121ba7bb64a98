import Faces

/// What a phrase in a caption is, for colouring (the paper's figure 6: emotions red, actions blue).
public enum HighlightKind: Sendable, Hashable {
    case emotion
    case action
    /// An emotion word that differs from the ground-truth emotion.
    case disagreeingEmotion
}

/// One highlighted phrase, as a range of the caption string it was computed for.
public struct HighlightSpan: Sendable, Hashable {
    public var kind: HighlightKind
    public var range: Range<String.Index>

    public init(kind: HighlightKind, range: Range<String.Index>) {
        self.kind = kind
        self.range = range
    }
}

/// The analyzer's verdict on one caption.
public struct CaptionHighlights: Sendable, Hashable {
    public var spans: [HighlightSpan]
    /// Every emotion the caption names (canonical words, in order of first mention).
    public var namedEmotions: [String]
    /// The named emotions that are not in the ground truth (empty when it agrees, or when there is
    /// no ground truth).
    public var disagreeingEmotions: [String]
    /// Faces' `EmotionVerdict` for the caption; nil when there is nothing to judge. `.disagrees`
    /// marks the pane and list row with ≠, `.partial` with ≈.
    public var verdict: EmotionVerdict?

    public init(spans: [HighlightSpan] = [], namedEmotions: [String] = [], disagreeingEmotions: [String] = [],
                verdict: EmotionVerdict? = nil) {
        self.spans = spans
        self.namedEmotions = namedEmotions
        self.disagreeingEmotions = disagreeingEmotions
        self.verdict = verdict ?? (disagreeingEmotions.isEmpty ? nil : .disagrees)
    }
}

/// (caption, ground truth) -> highlights. Ranges must index into the caption passed in.
public typealias CaptionAnalyzer = @Sendable (_ caption: String, _ truth: FaceLabels?) -> CaptionHighlights
