/// The `?` screen: every row of `KeyMap.bindings` (keys, then the description wrapped beside them)
/// and the legend of the list's marks. It fills the screen but the status line; when the rows do
/// not fit (80x24 with every key), j/k and the page keys scroll it. Nothing of the screen below
/// shows beside it.
enum HelpScreen {
    static let title = "Keys (any key closes)"

    static func box(_ layout: ScreenLayout) -> Rect {
        let width = min(100, layout.width - 2)
        return Rect(x: (layout.width - width) / 2, y: 1, width: width, height: layout.height - 2)
    }

    /// Rows of text below the title, for a box of `width` columns.
    static func lines(width: Int, glyphs: Glyphs) -> [StyledLine] {
        let inner = max(10, width - 4)
        let keyWidth = min(inner / 2, (KeyMap.bindings.map(\.plainKeys.count).max() ?? 0) + 2)
        var lines: [StyledLine] = []
        for binding in KeyMap.bindings {
            let keys = CaptionWrap.lines(binding.plainKeys, highlights: CaptionHighlights(), width: keyWidth - 2, base: .emotion)
            let text = CaptionWrap.lines(binding.description.replacingOccurrences(of: "`", with: ""),
                                         highlights: CaptionHighlights(), width: inner - keyWidth, base: .dialog)
            for row in 0..<max(keys.count, text.count) {
                let key = row < keys.count ? keys[row] : []
                let padding = String(repeating: " ", count: keyWidth - key.plainText.count)
                lines.append(key + [StyledRun(padding, .dialog)] + (row < text.count ? text[row] : []))
            }
        }
        lines.append([])
        for paragraph in legend(glyphs) {
            lines += CaptionWrap.lines(paragraph, highlights: CaptionHighlights(), width: inner, base: .muted)
        }
        return lines
    }

    static func legend(_ g: Glyphs) -> [String] {
        ["List marks: \(g.captioned) captioned by every model, \(g.rated) rated in a study, "
            + "\(g.disagrees) a caption names only emotions other than the ground truth, "
            + "\(g.partial) it names the ground truth and another emotion.",
         "Panes: \"says happiness \(g.disagrees) truth contempt\" is the model's emotion, then the ground truth's. "
            + "Emotion words and facial actions are highlighted; an emotion other than the ground truth in its own colour."]
    }

    /// How far the text can scroll in this layout (0 when it fits).
    static func maxScroll(_ layout: ScreenLayout, glyphs: Glyphs) -> Int {
        let r = box(layout)
        return max(0, lines(width: r.width, glyphs: glyphs).count - (r.height - 2))
    }

    static func paint(scroll: Int, layout: ScreenLayout, glyphs: Glyphs, on canvas: Canvas) {
        let r = box(layout)
        // Blank the whole body first: half a caption showing beside the box reads as part of the help.
        canvas.fill(Rect(x: 0, y: r.y, width: layout.width, height: r.height), role: .text)
        canvas.fill(r, role: .dialog)
        canvas.fill(Rect(x: r.x, y: r.y, width: r.width, height: 1), role: .paneTitleFocused)
        let all = lines(width: r.width, glyphs: glyphs)
        let rows = r.height - 2
        let top = max(0, min(scroll, all.count - rows))
        var title = title
        if all.count > rows { title += "  j/k scroll, lines \(top + 1)-\(min(all.count, top + rows)) of \(all.count)" }
        canvas.text(r.x + 1, r.y, title, role: .paneTitleFocused, maxWidth: r.width - 2)
        for (i, line) in all.dropFirst(top).prefix(rows).enumerated() {
            canvas.runs(r.x + 2, r.y + 1 + i, line, maxWidth: r.width - 3)
        }
    }
}
