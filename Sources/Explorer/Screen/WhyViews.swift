import Captioning
import Faces

/// The "why did it say that" screens, drawn beside the face so it stays visible: the occlusion
/// probe, the map's note and header tags (the full-caption view's word cursor is in `Overlays`).
enum WhyViews {
    /// Everything right of the face's box, between the header and the status bar.
    static func panel(_ layout: ScreenLayout) -> Rect {
        let x = layout.image.maxX + 1
        return Rect(x: x, y: layout.header.maxY, width: max(0, layout.width - x), height: layout.status.y - layout.header.maxY)
    }

    static func frame(_ r: Rect, title: String, on canvas: Canvas) {
        canvas.fill(r, role: .dialog)
        canvas.fill(Rect(x: r.x, y: r.y, width: r.width, height: 1), role: .paneTitleFocused)
        canvas.text(r.x + 1, r.y, title, role: .paneTitleFocused, maxWidth: r.width - 1)
    }

    static let notProof = "heat: attention, not proof"

    /// What the header says is on: the list order, the shading, the map (or that it is being recorded).
    static func headerParts(_ state: ExplorerState) -> [String] {
        var parts: [String] = []
        if state.listOrder != .dataset { parts.append("sorted: \(state.listOrder.label)") }
        if state.showConfidence { parts.append("shading: confidence") }
        if state.showAttention, state.modelNames.indices.contains(state.focusedPane) {
            parts.append(state.attentionPending ? "map: recording…"
                : state.attentionUnavailable ? "map: not available for this model" : "map: \(state.modelNames[state.focusedPane])")
        }
        return parts
    }

    /// Under the face while a map is on it: the line that keeps the heat honest.
    static func mapNote(_ state: ExplorerState, layout: ScreenLayout, on canvas: Canvas) {
        guard state.mode == .normal || state.mode == .fullCaption, state.shownMap() != nil, !layout.truth.isEmpty else { return }
        let r = layout.truth
        canvas.fill(Rect(x: r.x, y: r.maxY - 1, width: r.width, height: 1), role: .text)
        canvas.text(r.x, r.maxY - 1, notProof, role: .muted, maxWidth: r.width)
    }

    /// The probe's captions were asked for and are not all in yet (Esc then stops them).
    static func probeBusy(_ state: ExplorerState) -> Bool {
        state.probeKeys.contains { key in
            if state.cancelled.contains(key) { return false }
            switch state.slot(key) {
            case .done, .failed: return false
            default: return true
            }
        }
    }

    static func occlusion(_ probe: OcclusionProbe, state: ExplorerState, layout: ScreenLayout, on canvas: Canvas) {
        guard let item = state.selectedItem else { return }
        let r = panel(layout)
        let width = r.width - 2
        frame(r, title: "Occlusion probe · Esc stops / closes", on: canvas)
        var lines: [StyledLine] = []
        var chooser: StyledLine = [StyledRun("hide: ", .dialog)]
        if width >= 40 {
            for (i, name) in OcclusionProbe.choices.enumerated() {
                chooser.append(StyledRun(name, i == probe.choice ? .selection : .dialog))
                chooser.append(StyledRun(" ", .dialog))
            }
        } else {
            chooser.append(StyledRun(OcclusionProbe.choices[probe.choice], .selection))
            chooser.append(StyledRun(" (Tab: next)", .muted))
        }
        lines.append(chooser)
        if probe.choice == 4 { lines.append([StyledRun("box " + probe.region.label, .muted)]) }
        if !probe.started {
            lines += CaptionWrap.lines("1-5 region, hjkl move, HJKL size the box, Enter: caption with it hidden",
                                       highlights: CaptionHighlights(), width: width, base: .progress)
        }
        // Side by side when there is room for two readable columns; stacked otherwise.
        let columns = width >= 60
        let half = (width - 1) / 2
        // The focused model first: on a small screen it may be the only one that fits.
        let order = [state.focusedPane] + state.modelNames.indices.filter { $0 != state.focusedPane }
        for m in order where m < state.modelNames.count {
            let original = state.outcome(SlotKey(item: item, model: m))?.result.captions.first
            let key = SlotKey(item: item, model: m, occlusion: probe.region)
            var title = state.modelNames[m]
            var occluded: String?
            switch state.slot(key) {
            case let .done(o): occluded = o.result.captions.first; title += o.fromCache ? " (cache)" : ""
            case .running(nil), .running(.encoding?): title += " encoding…"
            case let .running(.decoding(step, maxSteps, _)?): title += " token \(step)/\(maxSteps)"
            case let .failed(message): title += " error: \(message)"
            case .unknown, .absent:
                if state.cancelled.contains(key) { title += " cancelled (Enter reruns)" }
                else if state.queued.contains(key) { title += " queued" }
            }
            lines.append([StyledRun(title, .paneTitle)])
            let was = original ?? "(not captioned yet)"
            if let occluded, let original {
                let diff = WordDiff.changed(WordDiff.words(original), WordDiff.words(occluded))
                lines[lines.count - 1].append(StyledRun(diff.inB.isEmpty && diff.inA.isEmpty ? " · same" : " · \(diff.inB.count) new word\(diff.inB.count == 1 ? "" : "s")", .muted))
                let was = CaptionWrap.lines("was: " + original, highlights: shifted(WordDiff.highlights(original, changed: diff.inA), by: "was: ", in: original),
                                            width: columns ? half : width, base: .muted)
                let now = CaptionWrap.lines("now: " + occluded, highlights: shifted(WordDiff.highlights(occluded, changed: diff.inB), by: "now: ", in: occluded),
                                            width: columns ? half : width, base: .dialog)
                if columns {
                    for i in 0..<max(was.count, now.count) {
                        let left = i < was.count ? was[i] : []
                        let used = left.reduce(0) { $0 + $1.text.count }
                        lines.append(left + [StyledRun(String(repeating: " ", count: half - used + 1), .dialog)] + (i < now.count ? now[i] : []))
                    }
                } else {
                    lines += was + now
                }
            } else {
                lines += CaptionWrap.lines("was: " + was, highlights: CaptionHighlights(), width: width, base: .muted)
            }
        }
        for (i, line) in lines.prefix(max(0, r.height - 1)).enumerated() {
            canvas.runs(r.x + 1, r.y + 1 + i, line, maxWidth: width)
        }
    }

    /// Highlights of `caption` moved into `prefix + caption`.
    static func shifted(_ h: CaptionHighlights, by prefix: String, in caption: String) -> CaptionHighlights {
        CaptionPaneView.shift(h, into: prefix + caption, prefixCount: prefix.count, original: caption)
    }
}
