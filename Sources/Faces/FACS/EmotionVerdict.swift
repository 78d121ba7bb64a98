/// How the emotions a caption names compare with a face's ground truth. One rule for every screen
/// and report: the explorer's marks (≠, ≈), its "disagrees" filter and the README's legend.
public enum EmotionVerdict: String, Sendable, Hashable {
    /// Every emotion named is in the ground truth ("fear and surprise" is matched by either).
    case agrees
    /// Names a ground-truth emotion and another one too ("sadness and anger" on a sad face).
    case partial
    /// Names emotions, none of them in the ground truth.
    case disagrees

    /// Nil when there is nothing to judge: the caption names no emotion, or the face has no label.
    public static func judge(named: [Emotion], truth: [Emotion]) -> EmotionVerdict? {
        let named = Set(named), truth = Set(truth)
        guard !named.isEmpty, !truth.isEmpty else { return nil }
        if named.isSubset(of: truth) { return .agrees }
        return named.isDisjoint(with: truth) ? .disagrees : .partial
    }
}

extension CaptionAnalysis {
    /// This caption's verdict against `labels` (nil: nothing to judge).
    public func verdict(against labels: FaceLabels) -> EmotionVerdict? {
        EmotionVerdict.judge(named: namedEmotions, truth: labels.emotions)
    }
}
