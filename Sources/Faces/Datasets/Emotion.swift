/// The canonical emotion vocabulary every dataset's labels are mapped to, so that ground truth from
/// FER2013, RAF-DB, AffectNet and class folders compares equal ("Happy", "happy" and "4" all become
/// `.happiness`). The raw values are what `FaceLabels.emotion` stores.
public enum Emotion: String, CaseIterable, Sendable, Hashable {
    case happiness, sadness, surprise, fear, anger, disgust, contempt, neutral

    /// A dataset's label word (class folder name, labels.csv cell), case-insensitive:
    /// the canonical noun or the adjective datasets use ("happy", "surprised", "fearful", ...).
    /// Caption language is wider and lives in `EmotionWords`.
    public init?(label: String) {
        let word = label.trimmingCharacters(in: .whitespaces).lowercased()
        if let canonical = Emotion(rawValue: word) {
            self = canonical
            return
        }
        switch word {
        case "happy": self = .happiness
        case "sad": self = .sadness
        case "surprised": self = .surprise
        case "fearful", "afraid": self = .fear
        case "angry": self = .anger
        case "disgusted": self = .disgust
        case "contemptuous": self = .contempt
        default: return nil
        }
    }

    /// Parses a label that may name several emotions ("fear and surprise", "fear+surprise",
    /// "disgust, happiness"). Nil when any part is not an emotion word, so a typo is reported
    /// instead of silently dropping half a compound label.
    public static func parseCompound(_ label: String) -> [Emotion]? {
        let parts = splitCompound(label)
        guard !parts.isEmpty else { return nil }
        var emotions: [Emotion] = []
        for part in parts {
            guard let emotion = Emotion(label: part) else { return nil }
            if !emotions.contains(emotion) { emotions.append(emotion) }
        }
        return emotions
    }

    /// The form `FaceLabels.emotion` stores: canonical words joined by " and ", in label order.
    public static func labelText(_ emotions: [Emotion]) -> String {
        emotions.map(\.rawValue).joined(separator: " and ")
    }

    static func splitCompound(_ label: String) -> [String] {
        var text = label.lowercased()
        for separator in [",", "+", "/", "&", ";"] {
            text = text.replacingOccurrences(of: separator, with: " and ")
        }
        return text.components(separatedBy: " and ")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

extension FaceLabels {
    /// The ground-truth emotions this label names; empty when unknown or not in the vocabulary.
    public var emotions: [Emotion] {
        guard let emotion else { return [] }
        return Emotion.splitCompound(emotion).compactMap(Emotion.init(label:))
    }
}
