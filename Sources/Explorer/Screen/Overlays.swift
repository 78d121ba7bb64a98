/// Centred boxes over the screen: the full caption, the filter menu and the regenerate dialog.
enum Overlays {
    static func box(width: Int, height: Int, layout: ScreenLayout, title: String, on canvas: Canvas) -> Rect {
        let w = min(width, layout.width - 2), h = min(height, layout.height - 2)
        let r = Rect(x: (layout.width - w) / 2, y: (layout.height - h) / 2, width: w, height: h)
        canvas.fill(r, role: .dialog)
        canvas.fill(Rect(x: r.x, y: r.y, width: r.width, height: 1), role: .paneTitleFocused)
        canvas.text(r.x + 1, r.y, title, role: .paneTitleFocused, maxWidth: r.width - 2)
        return r
    }

    /// The focused pane's captions, wrapped to a box nearly the screen's size, highlights kept.
    static func fullCaption(_ state: ExplorerState, layout: ScreenLayout, on canvas: Canvas) {
        guard let item = state.selectedItem, let outcome = state.outcome(SlotKey(item: item, model: state.focusedPane)) else { return }
        let width = layout.width - 4
        var lines: [StyledLine] = []
        for (i, caption) in outcome.result.captions.enumerated() {
            if outcome.result.captions.count > 1 { lines.append([StyledRun("\(i + 1).", .muted)]) }
            let highlights = i < outcome.highlights.count ? outcome.highlights[i] : CaptionHighlights()
            lines += CaptionWrap.lines(caption, highlights: highlights, search: state.search, width: width - 4, base: .dialog)
        }
        let title = "\(state.modelNames[state.focusedPane]) · \(state.items[item].id) (any key closes)"
        let r = box(width: width, height: min(layout.height - 2, lines.count + 3), layout: layout, title: title, on: canvas)
        for (i, line) in lines.enumerated() where r.y + 2 + i < r.maxY {
            _ = canvas.runs(r.x + 2, r.y + 2 + i, line, maxWidth: r.width - 3)
        }
    }

    static func filter(_ menu: FilterMenu, uncaptioned: Int, layout: ScreenLayout, context: ScreenContext, on canvas: Canvas) {
        let visibleRows = min(menu.choices.count, layout.height - 8)
        let r = box(width: 48, height: visibleRows + 4 + (uncaptioned > 0 ? 2 : 0), layout: layout,
                    title: "Filter (Enter applies, Esc closes)", on: canvas)
        if uncaptioned > 0 {
            // Caption filters only see captioned faces; say so before the user trusts an empty list.
            let note = "\(uncaptioned) faces not captioned yet (C captions all)"
            canvas.text(r.x + 2, r.maxY - 2, note, role: .progress, maxWidth: r.width - 3)
        }
        if let text = menu.text {
            canvas.text(r.x + 2, r.y + 2, "caption contains: " + text + "_", role: .dialog, maxWidth: r.width - 3)
            return
        }
        let top = max(0, min(menu.cursor - visibleRows / 2, menu.choices.count - visibleRows))
        for row in 0..<visibleRows {
            let i = top + row
            var label = menu.choices[i].label
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
        canvas.text(r.x + 2, r.y + 7, "j/k field  h/l change  Enter run  Esc close", role: .muted, maxWidth: r.width - 3)
    }
}
