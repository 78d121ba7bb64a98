import Captioning
import Faces
import Foundation

/// One model's pane for the selected face: title (model, cache/time or progress, disagreement mark)
/// and the highlighted, wrapped captions.
enum CaptionPaneView {
    static func paint(_ state: ExplorerState, model: Int, rect: Rect, glyphs: Glyphs, on canvas: Canvas) {
        guard !rect.isEmpty else { return }
        guard model < state.modelNames.count else {
            canvas.text(rect.x + 1, rect.y, "no models given (--models)", role: .muted, maxWidth: rect.width - 1)
            return
        }
        let focused = model == state.focusedPane
        let titleRole: TextRole = focused ? .paneTitleFocused : .paneTitle
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: titleRole)
        let name = " \(state.modelNames[model]) "
        canvas.text(rect.x, rect.y, name, role: titleRole, maxWidth: rect.width)
        var body: [StyledLine] = []
        let width = rect.width - 1
        var titleX = rect.x + name.count
        // The mark comes before timings: on an 80-column screen only one may fit. Its words (what
        // the model said, what the truth is) are the body's first line.
        if let item = state.selectedItem, let outcome = state.outcome(SlotKey(item: item, model: model)),
           let verdict = verdictLines(outcome, truth: state.items[item].labels, glyphs: glyphs, width: width) {
            let mark = outcome.disagrees ? glyphs.disagrees : glyphs.partial
            canvas.text(titleX, rect.y, mark, role: .markDisagree, maxWidth: rect.maxX - titleX)
            titleX += mark.count
            body += verdict
        }
        // Settings other than the model's own (from r) are named in the title, so no caption passes
        // for the model's default one.
        if let item = state.selectedItem, state.faceSettings[SlotKey(item: item, model: model)] != nil, titleX < rect.maxX {
            let tag = (titleX == rect.x + name.count ? "" : " ") + "[own settings]"
            canvas.text(titleX, rect.y, tag, role: titleRole, maxWidth: rect.maxX - titleX)
            titleX += tag.count
        }
        let (status, statusRole) = statusText(state, model: model)
        if !status.isEmpty, titleX < rect.maxX {
            canvas.text(titleX, rect.y, " " + status, role: focused ? titleRole : statusRole, maxWidth: rect.maxX - titleX)
        }
        if let error = state.modelErrors[model] {
            body = CaptionWrap.lines("failed to load: \(error)", highlights: CaptionHighlights(), width: width, base: .error)
        } else if let item = state.selectedItem {
            let key = SlotKey(item: item, model: model)
            switch state.slot(key) {
            case let .done(outcome):
                if let defaults = state.settings[model], outcome.settings != defaults {
                    body.append([StyledRun(outcome.settings.summary + " (this face; r, d: defaults)", .muted)])
                } else if outcome.settings.numCaptions > 1 || outcome.settings.sample {
                    body.append([StyledRun(outcome.settings.summary, .muted)])
                }
                for (i, caption) in outcome.result.captions.enumerated() {
                    let prefix = outcome.result.captions.count > 1 ? "\(i + 1). " : ""
                    let highlights = i < outcome.highlights.count ? outcome.highlights[i] : CaptionHighlights()
                    let shifted = shift(highlights, into: prefix + caption, prefixCount: prefix.count, original: caption)
                    body += CaptionWrap.lines(prefix + caption, highlights: shifted, search: state.search, width: width)
                }
                if outcome.result.captions.isEmpty { body.append([StyledRun("(empty caption)", .muted)]) }
            case let .running(progress?):
                if case let .decoding(_, _, partial) = progress, !partial.isEmpty {
                    body = CaptionWrap.lines(partial, highlights: CaptionHighlights(), width: width, base: .muted)
                }
            case let .failed(message):
                body = CaptionWrap.lines(message, highlights: CaptionHighlights(), width: width, base: .error)
            default:
                break
            }
        }
        let rows = rect.height - 1
        for (i, line) in body.prefix(rows).enumerated() {
            canvas.runs(rect.x + 1, rect.y + 1 + i, line, maxWidth: width)
        }
        if body.count > rows, rows > 0 {
            canvas.text(rect.maxX - 1, rect.maxY - 1, glyphs.ellipsis, role: .muted, maxWidth: 1)
        }
    }

    /// "says happiness ≠ truth contempt", "says sadness, anger ≈ truth sadness": which emotion is the
    /// model's and which the ground truth's, for a caption that does not agree; nil when it does.
    static func verdictLines(_ outcome: CaptionOutcome, truth: FaceLabels?, glyphs: Glyphs, width: Int) -> [StyledLine]? {
        guard let verdict = outcome.verdict, verdict != .agrees, let truthText = truth?.emotion else { return nil }
        var named: [String] = [], wrong = Set<String>()
        for h in outcome.highlights {
            for e in h.namedEmotions where !named.contains(e) { named.append(e) }
            wrong.formUnion(h.disagreeingEmotions)
        }
        if named.isEmpty { named = Array(wrong).sorted() }
        var text = "says "
        var spans: [(HighlightKind, Int, Int)] = []
        for (i, emotion) in named.enumerated() {
            if i > 0 { text += ", " }
            spans.append((wrong.contains(emotion) ? .disagreeingEmotion : .emotion, text.count, emotion.count))
            text += emotion
        }
        text += " \(verdict == .disagrees ? glyphs.disagrees : glyphs.partial) truth "
        spans.append((.emotion, text.count, truthText.count))
        text += truthText
        let highlights = CaptionHighlights(spans: spans.map { kind, start, count in
            let lower = text.index(text.startIndex, offsetBy: start)
            return HighlightSpan(kind: kind, range: lower..<text.index(lower, offsetBy: count))
        })
        return CaptionWrap.lines(text, highlights: highlights, width: width, base: .muted)
    }

    /// The title's status: where the caption came from and how long it took, or what is happening.
    static func statusText(_ state: ExplorerState, model: Int) -> (String, TextRole) {
        if state.modelErrors[model] != nil { return ("not loaded", .error) }
        guard let item = state.selectedItem else { return ("", .muted) }
        let key = SlotKey(item: item, model: model)
        if state.cancelled.contains(key) { return ("cancelled (r runs)", .muted) }
        switch state.slot(key) {
        case let .done(o):
            let ms = o.result.encodeMs + o.result.decodeMs
            // "cache 1.2s": served from the cache; the time is what the model took when it ran.
            return o.fromCache ? ("cache \(seconds(ms))", .cache) : ("\(seconds(ms))", .progress)
        case .running(nil), .running(.encoding?): return ("encoding…", .progress)
        case let .running(.decoding(step, maxSteps, _)?): return ("token \(step)/\(maxSteps)", .progress)
        case .failed: return ("error", .error)
        case .unknown, .absent: return (state.queued.contains(key) ? "queued" : "", .muted)
        }
    }

    static func seconds(_ ms: Double) -> String {
        ms < 1000 ? String(format: "%.0fms", ms) : String(format: "%.1fs", ms / 1000)
    }

    /// Moves span ranges from `original` into `combined` (= prefix + original).
    static func shift(_ h: CaptionHighlights, into combined: String, prefixCount: Int, original: String) -> CaptionHighlights {
        guard prefixCount > 0 else { return h }
        var out = h
        out.spans = h.spans.compactMap { span in
            guard span.range.lowerBound >= original.startIndex, span.range.upperBound <= original.endIndex else { return nil }
            let lo = original.distance(from: original.startIndex, to: span.range.lowerBound) + prefixCount
            let hi = original.distance(from: original.startIndex, to: span.range.upperBound) + prefixCount
            let l = combined.index(combined.startIndex, offsetBy: lo), u = combined.index(combined.startIndex, offsetBy: hi)
            return HighlightSpan(kind: span.kind, range: l..<u)
        }
        return out
    }
}
