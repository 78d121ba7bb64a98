/// Greedy word wrap of styled text to a width in Characters, for both apps' panes and prompts.
/// Text is English, so one Character is one cell (wide CJK glyphs would overflow and are clipped
/// by the canvas). Explorer's `CaptionWrap` colours captions and wraps them here.
public enum TextWrap {
    /// Plain text in one role.
    public static func lines(_ text: String, width: Int, role: TextRole = .text) -> [StyledLine] {
        guard width > 0 else { return [] }
        let characters = Array(text)
        return wrap(characters, roles: [TextRole](repeating: role, count: characters.count), width: width, base: role)
    }

    /// Greedy wrapping at spaces; a word longer than the width is split.
    public static func wrap(_ characters: [Character], roles: [TextRole], width: Int, base: TextRole) -> [StyledLine] {
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
