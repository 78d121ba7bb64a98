import Captioning
import Faces

/// One (face, model) cell of the explorer: a face by dataset index, a model by pane index, and for
/// the occlusion probe the region greyed out before captioning (nil: the face as it is).
public struct SlotKey: Hashable, Sendable {
    public var item: Int
    public var model: Int
    public var occlusion: OcclusionRegion?

    public init(item: Int, model: Int, occlusion: OcclusionRegion? = nil) {
        self.item = item
        self.model = model
        self.occlusion = occlusion
    }
}

/// A finished caption job.
public struct CaptionOutcome: Sendable {
    public var result: CaptionResult
    public var settings: DecodingSettings
    public var fromCache: Bool
    /// One per caption in `result.captions`.
    public var highlights: [CaptionHighlights]
    /// Wall time of the whole job as the explorer saw it (cache hits: the lookup).
    public var wallMs: Double
    /// One per caption: its words and the generated tokens behind each (empty when the captioner
    /// cannot say), for per-word confidence and attention.
    public var words: [[CaptionWord]] = []
    /// The job asked for attention: a caption still without it comes from a captioner that cannot
    /// record, and is not run again for it.
    public var attentionAsked = false

    /// The job's worst caption verdict: ≠ over ≈ over agreement; nil when no caption names an emotion.
    public var verdict: EmotionVerdict? {
        let verdicts = highlights.compactMap(\.verdict)
        for v in [EmotionVerdict.disagrees, .partial, .agrees] where verdicts.contains(v) { return v }
        return nil
    }

    public var disagrees: Bool { verdict == .disagrees }
    public var partlyAgrees: Bool { verdict == .partial }
}

/// What is known about one (face, model) pair.
public enum CaptionSlot: Sendable {
    /// The cache has not been asked yet.
    case unknown
    /// Not cached and not running.
    case absent
    case running(CaptionProgress?)
    case done(CaptionOutcome)
    case failed(String)
}
