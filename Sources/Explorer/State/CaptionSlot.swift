import Captioning
import Faces

/// One (face, model) cell of the explorer: a face by dataset index, a model by pane index.
public struct SlotKey: Hashable, Sendable {
    public var item: Int
    public var model: Int

    public init(item: Int, model: Int) {
        self.item = item
        self.model = model
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
