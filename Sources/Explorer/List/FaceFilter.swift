/// What `f` narrows the list to.
public enum FaceFilter: Equatable, Sendable {
    case all
    case emotion(String)
    case actionUnit(Int)
    /// Faces where some model's caption names only emotions other than the ground truth, or the
    /// recognizer's top class is another emotion (≠).
    case disagrees
    /// Faces where some model's caption names the ground truth and another emotion (≈).
    case partlyAgrees
    case captionText(String)
    /// Faces where some model's caption has a word the model gave probability < 0.5.
    case unsure

    public var label: String {
        switch self {
        case .all: return "all faces"
        case let .emotion(e): return "emotion: \(e)"
        case let .actionUnit(n): return "AU \(n)"
        case .disagrees: return "captions disagree (≠)"
        case .partlyAgrees: return "captions partly agree (≈)"
        case let .captionText(t): return "captions contain \"\(t)\""
        case .unsure: return "a caption word with p < 0.5"
        }
    }
}
