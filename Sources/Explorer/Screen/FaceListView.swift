/// The list of faces: three mark columns (captioned, rated, ≠ disagrees / ≈ partly agrees), file
/// name, ground-truth emotion.
enum FaceListView {
    static func paint(_ state: ExplorerState, rect: Rect, glyphs: Glyphs, on canvas: Canvas) {
        guard !rect.isEmpty else { return }
        if state.visible.isEmpty {
            canvas.text(rect.x + 1, rect.y, "no faces match", role: .muted, maxWidth: rect.width - 1)
            canvas.text(rect.x + 1, rect.y + 1, "(Esc clears)", role: .muted, maxWidth: rect.width - 1)
            if state.listDependsOnCaptions, case let n = state.uncaptionedCount, n > 0 {
                let note = "\(n) faces are not captioned yet and could not be checked (C captions them all)"
                for (i, line) in CaptionWrap.lines(note, highlights: CaptionHighlights(), width: rect.width - 1, base: .progress).enumerated()
                where rect.y + 3 + i < rect.maxY {
                    canvas.runs(rect.x + 1, rect.y + 3 + i, line, maxWidth: rect.width - 1)
                }
            }
            return
        }
        for row in 0..<rect.height {
            let position = state.scroll + row
            guard position < state.visible.count else { break }
            let index = state.visible[position]
            let item = state.items[index]
            let selected = position == state.cursor
            let y = rect.y + row
            let base: TextRole = selected ? .selection : .text
            canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: base)
            let marks: [(String, TextRole)] = [
                (state.isCaptioned(index) ? glyphs.captioned : " ", .markCaptioned),
                (state.rated.contains(index) ? glyphs.rated : " ", .markRated),
                (state.disagrees(index) ? glyphs.disagrees : state.partlyAgrees(index) ? glyphs.partial : " ", .markDisagree),
            ]
            for (i, (glyph, role)) in marks.enumerated() {
                canvas.text(rect.x + i, y, glyph, role: selected ? .selection : role, maxWidth: 1)
            }
            let emotion = item.labels?.emotion ?? ""
            let nameWidth = rect.width - 4 - (emotion.isEmpty ? 0 : min(emotion.count, 10) + 1)
            canvas.text(rect.x + 4, y, clip(displayName(item.id), max(1, nameWidth), ellipsis: glyphs.ellipsis),
                        role: base, maxWidth: max(1, nameWidth))
            if !emotion.isEmpty {
                let e = clip(emotion, 10, ellipsis: glyphs.ellipsis)
                canvas.text(rect.maxX - e.count, y, e, role: selected ? .selection : .muted, maxWidth: e.count)
            }
        }
    }

    /// File name without folders: the list is narrow and the folder is the same for most faces.
    static func displayName(_ id: String) -> String {
        id.split(separator: "/").last.map(String.init) ?? id
    }
}
