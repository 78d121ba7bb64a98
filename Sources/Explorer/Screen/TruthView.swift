import Foundation

/// Ground truth of the selected face: emotion, action units with FACS names and intensities.
enum TruthView {
    static func paint(_ state: ExplorerState, rect: Rect, context: ScreenContext, on canvas: Canvas) {
        guard !rect.isEmpty, let index = state.selectedItem else { return }
        let item = state.items[index]
        var y = rect.y
        func line(_ runs: StyledLine) {
            guard y < rect.maxY else { return }
            canvas.runs(rect.x + 1, y, runs, maxWidth: rect.width - 1)
            y += 1
        }
        line([StyledRun(clip(item.id, rect.width - 1, ellipsis: context.glyphs.ellipsis), .paneTitle)])
        guard let labels = item.labels else {
            line([StyledRun("no ground truth in this dataset", .muted)])
            return
        }
        line([StyledRun("emotion: ", .muted), StyledRun(labels.emotion ?? "not labelled", labels.emotion == nil ? .muted : .emotion)])
        if labels.actionUnits.isEmpty {
            line([StyledRun("action units: none labelled", .muted)])
            return
        }
        line([StyledRun("action units:", .muted)])
        for unit in labels.actionUnits.sorted(by: { $0.number < $1.number }) {
            var runs: StyledLine = [StyledRun(" AU\(unit.number) ", .text)]
            if let name = context.actionUnitName(unit.number) { runs.append(StyledRun(name, .action)) }
            if let intensity = unit.intensity { runs.append(StyledRun(" (\(format(intensity)))", .muted)) }
            if y == rect.maxY - 1 && unit.number != labels.actionUnits.map(\.number).max() {
                line([StyledRun(" …", .muted)])
                return
            }
            line(runs)
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
