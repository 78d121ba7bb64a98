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
        return wrap(characters, roles: roles, width: width, base: base)
    }

    /// Greedy wrapping at spaces; a word longer than the width is split.
    static func wrap(_ characters: [Character], roles: [TextRole], width: Int, base: TextRole) -> [StyledLine] {
        var lines: [[Int]] = []   // character indices per line
        var current: [Int] = []
        var i = 0
        while i < characters.count {
            if characters[i] == " " { i += 1; continue }
            var end = i
            while end < characters.count && characters[end] != " " { end += 1 }
            let word = Array(i..<end)
            let needed = current.isEmpty ? word.count : current.count + 1 + word.count
            if needed <= width {
                if !current.isEmpty { current.append(i - 1) } // the space before the word
                current += word
            } else if word.count <= width {
                lines.append(current)
                current = word
            } else {
                var rest = word[...]
                if !current.isEmpty && current.count + 1 < width {
                    current.append(i - 1)
                    let take = width - current.count
                    current += rest.prefix(take)
                    rest = rest.dropFirst(take)
                }
                while !rest.isEmpty {
                    if !current.isEmpty { lines.append(current) }
                    current = Array(rest.prefix(width))
                    rest = rest.dropFirst(width)
                }
            }
            i = end
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { indices in
            var line: StyledLine = []
            for index in indices {
                // A space between two differently coloured phrases takes neither colour.
                let role = characters[index] == " " && index > 0 && index + 1 < roles.count && roles[index - 1] != roles[index + 1]
                    ? base : roles[index]
                if let last = line.last, last.role == role {
                    line[line.count - 1].text.append(characters[index])
                } else {
                    line.append(StyledRun(String(characters[index]), role))
                }
            }
            return line
        }
    }
}
