/// Boxes over the screen beside the face: the full caption, the filter menu and the regenerate
/// dialog. They talk about the face on screen, so they never cover it (help does; it is about keys).
enum Overlays {
    /// A box of at most `width` x `height` in the part of the body left, right of or below the face
    /// that holds most of it, centred there. The face's box stays clear, so the face is still drawn.
    static func region(width: Int, height: Int, layout: ScreenLayout) -> Rect {
        area(width: width, height: height, layout: layout).box
    }

    /// The chosen part of the body (`area`) and the box in it.
    static func area(width: Int, height: Int, layout: ScreenLayout) -> (area: Rect, box: Rect) {
        let face = layout.image, top = layout.header.maxY, bottom = layout.status.y
        let candidates = [
            Rect(x: 0, y: top, width: face.x - 1, height: bottom - top),
            Rect(x: face.maxX + 1, y: top, width: layout.width - face.maxX - 1, height: bottom - top),
            Rect(x: 0, y: face.maxY, width: layout.width, height: bottom - face.maxY),
        ].filter { !$0.isEmpty }
        // Score: the share of the wanted box that fits (width and height weigh alike).
        func score(_ r: Rect) -> Double {
            Double(min(width, r.width)) / Double(max(1, width)) * Double(min(height, r.height)) / Double(max(1, height))
        }
        guard let best = candidates.max(by: { score($0) < score($1) }) else { return (.empty, .empty) }
        let w = min(width, best.width), h = min(height, best.height)
        return (best, Rect(x: best.x + (best.width - w) / 2, y: best.y + (best.height - h) / 2, width: w, height: h))
    }

    /// Draws the box; the rest of its rows in the chosen area are blanked, so no half-cut text from
    /// below shows beside it.
    static func frame(_ r: Rect, in area: Rect, title: String, on canvas: Canvas) {
        canvas.fill(Rect(x: area.x, y: r.y, width: area.width, height: r.height), role: .text)
        canvas.fill(r, role: .dialog)
        canvas.fill(Rect(x: r.x, y: r.y, width: r.width, height: 1), role: .paneTitleFocused)
        canvas.text(r.x + 1, r.y, title, role: .paneTitleFocused, maxWidth: r.width - 2)
    }

    static func box(width: Int, height: Int, layout: ScreenLayout, title: String, on canvas: Canvas) -> Rect {
        let (area, r) = area(width: width, height: height, layout: layout)
        frame(r, in: area, title: title, on: canvas)
        return r
    }

    /// The box of the full-caption view and its text lines (verdict, then each caption wrapped).
    static func fullCaptionText(_ state: ExplorerState, layout: ScreenLayout, glyphs: Glyphs) -> (area: Rect, box: Rect, lines: [StyledLine])? {
        guard let item = state.selectedItem, let outcome = state.outcome(SlotKey(item: item, model: state.focusedPane)) else { return nil }
        let wanted = layout.width - 4
        func lines(width: Int) -> [StyledLine] {
            var lines: [StyledLine] = []
            if let verdict = CaptionPaneView.verdictLines(outcome, truth: state.items[item].labels, glyphs: glyphs, width: width) {
                lines += verdict + [[]]
            }
            for (i, caption) in outcome.result.captions.enumerated() {
                if outcome.result.captions.count > 1 { lines.append([StyledRun("\(i + 1).", .muted)]) }
                let highlights = i < outcome.highlights.count ? outcome.highlights[i] : CaptionHighlights()
                lines += CaptionWrap.lines(caption, highlights: highlights, search: state.search, width: width, base: .dialog)
            }
            return lines
        }
        let (area, r) = area(width: wanted, height: lines(width: wanted - 4).count + 3, layout: layout)
        return (area, r, lines(width: r.width - 4))
    }

    /// Rows the full-caption view can scroll (0 when the captions fit).
    static func fullCaptionMaxScroll(_ state: ExplorerState, layout: ScreenLayout) -> Int {
        guard let (_, r, lines) = fullCaptionText(state, layout: layout, glyphs: .unicode) else { return 0 }
        return max(0, lines.count - (r.height - 3))
    }

    /// The focused pane's captions in full beside the face, highlights kept; j/k scroll when long.
    static func fullCaption(_ state: ExplorerState, layout: ScreenLayout, glyphs: Glyphs, on canvas: Canvas) {
        guard let item = state.selectedItem, let (area, r, lines) = fullCaptionText(state, layout: layout, glyphs: glyphs) else { return }
        let rows = r.height - 3
        let top = max(0, min(state.captionScroll, lines.count - rows))
        var title = "\(state.modelNames[state.focusedPane]) · \(FaceListView.displayName(state.items[item].id))"
        title += lines.count > rows ? " (j/k scroll \(top + 1)-\(min(lines.count, top + rows))/\(lines.count), any other key closes)"
            : " (any key closes)"
        frame(r, in: area, title: title, on: canvas)
        for (i, line) in lines.dropFirst(top).prefix(rows).enumerated() {
            _ = canvas.runs(r.x + 2, r.y + 2 + i, line, maxWidth: r.width - 3)
        }
    }

    static func filter(_ menu: FilterMenu, uncaptioned: Int, layout: ScreenLayout, context: ScreenContext, on canvas: Canvas) {
        let note = uncaptioned > 0 ? 2 : 0
        let r = box(width: 48, height: menu.choices.count + 4 + note, layout: layout,
                    title: "Filter (Enter, Esc closes)", on: canvas)
        let visibleRows = max(1, min(menu.choices.count, r.height - 4 - note))
        if uncaptioned > 0 {
            // Caption filters only see captioned faces; say so before the user trusts an empty list.
            let text = "\(uncaptioned) not captioned yet (C captions all)"
            for (i, line) in CaptionWrap.lines(text, highlights: CaptionHighlights(), width: r.width - 3, base: .progress)
                .prefix(2).enumerated() {
                canvas.runs(r.x + 2, r.maxY - 2 - (text.count > r.width - 3 ? 1 : 0) + i, line, maxWidth: r.width - 3)
            }
        }
        if let text = menu.text {
            canvas.text(r.x + 2, r.y + 2, "caption contains: " + text + "_", role: .dialog, maxWidth: r.width - 3)
            return
        }
        let top = max(0, min(menu.cursor - visibleRows / 2, menu.choices.count - visibleRows))
        for row in 0..<visibleRows {
            let i = top + row
            var label = menu.choices[i].label
            // A narrow box (80 columns) keeps the emotion, which says itself, and drops the prefix.
            if case let .emotion(e) = menu.choices[i], r.width < 40 { label = e }
            if case let .actionUnit(n) = menu.choices[i], let name = context.actionUnitName(n) { label += " " + name }
            if case .captionText = menu.choices[i] { label = "captions contain… (type text)" }
            canvas.text(r.x + 2, r.y + 2 + row, pad(label, r.width - 4), role: i == menu.cursor ? .selection : .dialog,
                        maxWidth: r.width - 4)
        }
    }

    static func regenerate(_ dialog: RegenerateDialog, model: String, layout: ScreenLayout, on canvas: Canvas) {
        let r = box(width: 50, height: 9, layout: layout, title: "Regenerate \(model)", on: canvas)
        for (i, line) in dialog.lines.enumerated() {
            canvas.text(r.x + 2, r.y + 2 + i, pad(line.text, r.width - 4), role: line.selected ? .selection : .dialog,
                        maxWidth: r.width - 4)
        }
        canvas.text(r.x + 2, r.y + 7, "j/k h/l change  d defaults  Enter run  Esc", role: .muted, maxWidth: r.width - 3)
    }
}
