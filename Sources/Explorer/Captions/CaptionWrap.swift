/// Word-wraps a caption to a pane's width and colours it: highlight spans from the analyzer, and
/// occurrences of the current search on top. Width is counted in Characters; captions are English
/// text, so one Character is one cell (wide CJK glyphs would overflow and are clipped by the canvas).
public enum CaptionWrap {
    public static func lines(_ caption: String, highlights: CaptionHighlights, search: String = "",
                             width: Int, base: TextRole = .text) -> [StyledLine] {
        guard width > 0 else { return [] }
        let characters = Array(caption)
        var roles = [TextRole](repeating: base, count: characters.count)
        // Character offsets of each span; ranges are clamped so a sloppy analyzer can't crash us.
        for span in highlights.spans {
            guard span.range.lowerBound >= caption.startIndex, span.range.upperBound <= caption.endIndex else { continue }
            let lower = caption.distance(from: caption.startIndex, to: span.range.lowerBound)
            let upper = caption.distance(from: caption.startIndex, to: span.range.upperBound)
            let role: TextRole
            switch span.kind {
            case .emotion: role = .emotion
            case .action: role = .action
            case .disagreeingEmotion: role = .disagree
            case .unsure: role = .unsure
            case .veryUnsure: role = .veryUnsure
            case .changed: role = .changed
            case .focusWord: role = .selection
            }
            for i in max(0, lower)..<min(characters.count, max(lower, upper)) { roles[i] = role }
        }
        if !search.isEmpty {
            let lowered = Array(caption.lowercased())
            let needle = Array(search.lowercased())
            // lowercased() can change length for some scripts; only mark when it did not.
            if lowered.count == characters.count, needle.count <= lowered.count {
                var i = 0
                while i + needle.count <= lowered.count {
                    if Array(lowered[i..<(i + needle.count)]) == needle {
                        for j in i..<(i + needle.count) { roles[j] = .searchMatch }
                        i += needle.count
                    } else { i += 1 }
                }
            }
        }
        return TextWrap.wrap(characters, roles: roles, width: width, base: base)
    }
}
