/// What a key does on the rating form while scores are typed.
public enum RatingAction: Equatable, Sendable {
    /// 1...10 (the key 0 gives 10).
    case score(Int)
    case nextField, previousField, nextCaption, previousCaption
    case clear, save, comment, skip, reopenPrevious, readAll, quit, dismiss
}

/// The rating form's keys: one list for the form's key handling, its key line and the README's
/// table (a test compares them), like the explorer's `KeyMap`. Prompts (comment, skip reason,
/// most/least complete, quit?) read their own keys and say them on screen.
public enum RatingKeys {
    public static let bindings: [KeyBinding<RatingAction>] = [
        KeyBinding("`1`-`9`, `0`", "score the field under the cursor (`0` is 10); the cursor moves on by itself",
                   hint: "score", (1...10).map { (KeyInput.char(Character(String($0 % 10))), RatingAction.score($0)) }),
        KeyBinding("`Enter`", "save the face (asks which caption is most / least complete when completeness scores tie)",
                   hint: "save", [(.enter, .save)]),
        KeyBinding("`v`", "read every caption in full (`j` / `k` scroll, any other key returns)", hint: "read all",
                   [(.char("v"), .readAll)]),
        KeyBinding("`Tab` / `Shift-Tab`, `l` / `h`, arrows", "next / previous field", hint: "move", [
            (.tab, .nextField), (.right, .nextField), (.char("l"), .nextField),
            (.backTab, .previousField), (.left, .previousField), (.char("h"), .previousField),
        ]),
        KeyBinding("`j` / `k`, arrows", "next / previous caption", [
            (.down, .nextCaption), (.char("j"), .nextCaption), (.up, .previousCaption), (.char("k"), .previousCaption),
        ]),
        KeyBinding("`Backspace`, `x`", "clear the field", [(.backspace, .clear), (.char("x"), .clear)]),
        KeyBinding("`c`", "comment on the face", hint: "comment", [(.char("c"), .comment)]),
        KeyBinding("`s`", "skip the face, with a reason", hint: "skip", [(.char("s"), .skip)]),
        KeyBinding("`u`", "reopen the previous face (saving it unchanged keeps its first answer)", hint: "back",
                   [(.char("u"), .reopenPrevious)]),
        KeyBinding("`Esc`", "dismiss the message", [(.escape, .dismiss)]),
        KeyBinding("`q`", "quit (asks first when the face has unsaved scores); rating resumes where it stopped",
                   hint: "quit", [(.char("q"), .quit)]),
    ]

    /// The key line: hints in list order, as many as fit in `width` (quit always among them).
    public static func keyLine(width: Int) -> String {
        let hints = bindings.compactMap { binding -> String? in
            guard let word = binding.hint else { return nil }
            let keys = binding.plainKeys.split(separator: ",").first.map(String.init) ?? ""
            let short = keys.hasPrefix("Tab") ? "Tab" : keys == "1-9" ? "1-9,0=10" : keys
            return "\(short) \(word)"
        }
        var line = hints.last ?? ""
        // Insert from the front so the most used keys come first; quit stays at the end.
        var shown: [String] = []
        for hint in hints.dropLast() where (shown + [hint, line]).joined(separator: "  ").count <= width {
            shown.append(hint)
        }
        line = (shown + [line]).joined(separator: "  ")
        return line
    }
}
