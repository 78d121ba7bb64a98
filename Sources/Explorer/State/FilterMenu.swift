/// The `f` popup: a list of filters; "caption text" asks for the text on a second line.
public struct FilterMenu: Equatable, Sendable {
    public var choices: [FaceFilter]
    public var cursor: Int = 0
    /// Non-nil while typing the caption text to filter by.
    public var text: String? = nil

    public enum Outcome: Equatable { case stay, close, apply(FaceFilter) }

    public mutating func handle(_ key: KeyInput) -> Outcome {
        if var typed = text {
            switch key {
            case .escape: text = nil; return .stay
            case .enter: return typed.isEmpty ? .stay : .apply(.captionText(typed))
            case .backspace: typed.removeLast(typed.isEmpty ? 0 : 1); text = typed; return .stay
            case let .char(c): typed.append(c); text = typed; return .stay
            default: return .stay
            }
        }
        switch key {
        case .escape, .char("q"), .char("f"): return .close
        case .char("j"), .down, .tab: cursor = min(choices.count - 1, cursor + 1)
        case .char("k"), .up, .backTab: cursor = max(0, cursor - 1)
        case .enter:
            if case .captionText = choices[cursor] { text = ""; return .stay }
            return .apply(choices[cursor])
        default: break
        }
        return .stay
    }
}
