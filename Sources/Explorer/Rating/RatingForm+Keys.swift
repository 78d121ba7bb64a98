/// Keys of the rating form. A score is one key (1-9, 0 for 10) and the cursor moves on by itself,
/// so a practised rater types a face as e.g. "7 8 6 9 Enter" without touching Tab.
extension RatingForm {
    public mutating func handle(_ key: KeyInput) -> Effect? {
        switch mode {
        case .editing: return edit(key)
        case let .pickingMost(candidates): return pick(key, among: candidates, most: true)
        case let .pickingLeast(candidates): return pick(key, among: candidates, most: false)
        case let .comment(draft):
            if let text = typeText(key, into: draft, limit: Self.maxCommentLength, make: Mode.comment) {
                comment = text.trimmingSpaces
                message = Message(text: comment.isEmpty ? "comment removed" : "comment kept; Enter submits the face",
                                  isError: false)
                mode = .editing
            }
            return nil
        case let .skipReason(draft):
            guard let text = typeText(key, into: draft, limit: 200, make: Mode.skipReason) else { return nil }
            let reason = text.trimmingSpaces
            if reason.isEmpty {
                mode = .skipReason(draft: "")
                message = Message(text: "type why this face is skipped, or Esc", isError: true)
                return nil
            }
            // The prompt stays open with its text until the skip is saved, so a failed write loses nothing.
            mode = .skipReason(draft: text)
            return .skip(reason: reason)
        case let .reading(top):
            switch key {
            case .char("j"), .down, .char(" "), .pageDown: mode = .reading(top: top + (key == .char("j") || key == .down ? 1 : 10))
            case .char("k"), .up, .char("b"), .pageUp: mode = .reading(top: max(0, top - (key == .char("k") || key == .up ? 1 : 10)))
            case .resize: break
            default: mode = .editing
            }
            return nil
        case .confirmQuit:
            mode = .editing
            message = nil
            if key == .char("y") || key == .char("Y") { return .quit }
            return nil
        }
    }

    private mutating func edit(_ key: KeyInput) -> Effect? {
        switch RatingKeys.bindings.action(for: key) {
        case let .score(value)?:
            set(value)
            message = nil
            if cursor.caption < letters.count - 1 || cursor.field != .completeness { step(by: 1) }
        case .nextField?: step(by: 1)
        case .previousField?: step(by: -1)
        case .nextCaption?: moveCaption(by: 1)
        case .previousCaption?: moveCaption(by: -1)
        case .clear?: set(nil)
        case .save?:
            message = nil
            return prepareSubmission().map(Effect.submit)
        case .comment?: mode = .comment(draft: comment)
        case .skip?: mode = .skipReason(draft: "")
        case .reopenPrevious?: return .reopenPrevious
        case .readAll?: mode = .reading(top: 0)
        case .quit?:
            if !isDirty { return .quit }
            mode = .confirmQuit
        case .dismiss?: message = nil
        case nil: break
        }
        return nil
    }

    private mutating func pick(_ key: KeyInput, among candidates: [Int], most: Bool) -> Effect? {
        switch key {
        case .escape:
            mode = .editing
            message = nil
            return nil
        case let .char(c):
            guard let index = index(ofLetter: c), candidates.contains(index) else {
                message = Message(text: "press " + candidates.map { letters[$0] }.joined(separator: " or "), isError: true)
                return nil
            }
            if most { mostComplete = index } else { leastComplete = index }
            message = nil
            // Submitting again asks the next question (least after most) or hands the answer out.
            return prepareSubmission().map(Effect.submit)
        default:
            return nil
        }
    }

    /// Line editing for prompts: returns the text on Enter, nil while typing or after Esc.
    private mutating func typeText(_ key: KeyInput, into draft: String, limit: Int,
                                   make: (String) -> Mode) -> String? {
        switch key {
        case .enter:
            return draft
        case .escape:
            mode = .editing
            message = nil
        case .backspace:
            mode = make(String(draft.dropLast()))
        case let .char(c) where !c.isNewline:
            if draft.count < limit { mode = make(draft + String(c)) }
        default:
            break
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
