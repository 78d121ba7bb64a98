import Faces
import Foundation

/// The recognizer pane: title (model, clip frames it looked at), its top class against the ground
/// truth (marked when they disagree), then one bar per class with its probability.
enum RecognizerPaneView {
    static let barWidth = 12

    static func paint(_ state: ExplorerState, rect: Rect, glyphs: Glyphs, on canvas: Canvas) {
        guard !rect.isEmpty, let recognizer = state.recognizer, let item = state.selectedItem,
              let key = state.shownRecognition else { return }
        canvas.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: .paneTitle)
        let frames = state.frameCount(of: item)
        var title = " \(recognizer.name)"
        if frames > 1 { title += " · frame \(state.frame(of: item) + 1)/\(frames)\(state.isPlaying ? " ▶" : "")" }
        canvas.text(rect.x, rect.y, clip(title, rect.width, ellipsis: glyphs.ellipsis), role: .paneTitle, maxWidth: rect.width)
        var y = rect.y + 1
        func line(_ runs: StyledLine) {
            guard y < rect.maxY else { return }
            canvas.runs(rect.x + 1, y, runs, maxWidth: rect.width - 1)
            y += 1
        }
        if let error = recognizer.loadError {
            line([StyledRun(clip("not loaded: \(error)", rect.width - 1, ellipsis: glyphs.ellipsis), .error)])
            return
        }
        switch state.recognitions[key] {
        case nil, .running?:
            line([StyledRun("recognising…", .progress)])
        case let .failed(message)?:
            line([StyledRun(clip(message, rect.width - 1, ellipsis: glyphs.ellipsis), .error)])
        case let .done(result)?:
            var verdict: StyledLine = [StyledRun("top: ", .muted), StyledRun(result.top, .emotion)]
            if let truth = state.items[item].labels?.emotion {
                let disagrees = result.disagrees(with: state.items[item].labels) ?? false
                verdict += [StyledRun(disagrees ? " \(glyphs.disagrees) " : " = ", disagrees ? .markDisagree : .muted),
                            StyledRun("truth: \(truth)", .muted)]
            }
            if result.fromCache { verdict.append(StyledRun(" (cached)", .cache)) }
            line(verdict)
            if frames > 1 {
                let seen = key.window.map { "frames \($0.lowerBound + 1)-\($0.upperBound) of \(frames)" } ?? "whole clip, \(frames) frames"
                line([StyledRun(seen, .muted)])
            }
            let nameWidth = min(12, result.classes.map(\.count).max() ?? 0)
            let ranked = result.classes.indices.sorted { result.probs[$0] > result.probs[$1] }
            let room = rect.maxY - y
            for (shown, c) in ranked.enumerated() {
                if shown == room - 1 && ranked.count > room {
                    line([StyledRun(" +\(ranked.count - shown) more", .muted)])
                    break
                }
                line(bar(result.classes[c], result.probs[c], nameWidth: nameWidth, top: shown == 0, ascii: glyphs.ellipsis == "~"))
            }
        }
    }

    static func bar(_ name: String, _ p: Float, nameWidth: Int, top: Bool, ascii: Bool) -> StyledLine {
        let filled = Int((p * Float(barWidth)).rounded())
        let full = ascii ? "#" : "█", empty = ascii ? "." : "░"
        let label = String(name.prefix(nameWidth)).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        let percent = String(format: "%3d%%", Int((p * 100).rounded()))
        return [StyledRun(label + " ", top ? .emotion : .text),
                StyledRun(String(repeating: full, count: filled), top ? .emotion : .action),
                StyledRun(String(repeating: empty, count: barWidth - filled) + " " + percent, .muted)]
    }
}
