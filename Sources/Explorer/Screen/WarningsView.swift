/// `w`: what opening the dataset reported (files skipped, label lines that could not be used) and
/// the faces whose image could not be read, with the reason. `caption --dataset` prints the same
/// warnings; here they would otherwise never reach the user.
enum WarningsView {
    static func lines(_ state: ExplorerState, width: Int) -> [StyledLine] {
        func wrap(_ text: String, _ role: TextRole) -> [StyledLine] {
            CaptionWrap.lines(text, highlights: CaptionHighlights(), width: width, base: role)
        }
        var lines: [StyledLine] = []
        if state.datasetWarnings.isEmpty && state.unreadable.isEmpty {
            return wrap("No warnings: every file of the dataset was read, and every face shown so far loaded.", .dialog)
        }
        for warning in state.datasetWarnings { lines += wrap("• " + warning, .dialog) }
        if !state.unreadable.isEmpty {
            if !lines.isEmpty { lines.append([]) }
            lines += wrap("Faces that could not be read (marked in the list):", .muted)
            for (item, message) in state.unreadable.sorted(by: { $0.key < $1.key }) {
                lines += wrap("• \(state.items[item].id): \(message)", .error)
            }
        }
        return lines
    }

    static func count(_ state: ExplorerState) -> Int { state.datasetWarnings.count + state.unreadable.count }

    private static func box(_ state: ExplorerState, layout: ScreenLayout) -> (area: Rect, box: Rect, lines: [StyledLine]) {
        let wanted = min(100, layout.width - 4)
        let (area, box) = Overlays.area(width: wanted, height: lines(state, width: wanted - 4).count + 3, layout: layout)
        return (area, box, lines(state, width: box.width - 4))
    }

    static func maxScroll(_ state: ExplorerState, layout: ScreenLayout) -> Int {
        let (_, r, all) = box(state, layout: layout)
        return max(0, all.count - (r.height - 3))
    }

    static func paint(_ state: ExplorerState, layout: ScreenLayout, on canvas: Canvas) {
        let (area, r, all) = box(state, layout: layout)
        let rows = r.height - 3
        let top = max(0, min(state.helpScroll, all.count - rows))
        var title = "Dataset warnings: \(count(state))"
        title += all.count > rows ? " (j/k scroll, any other key closes)" : " (any key closes)"
        Overlays.frame(r, in: area, title: title, on: canvas)
        for (i, line) in all.dropFirst(top).prefix(rows).enumerated() {
            canvas.runs(r.x + 2, r.y + 2 + i, line, maxWidth: r.width - 3)
        }
    }
}
