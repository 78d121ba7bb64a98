/// The header line (dataset, position, filter) and the status bar (queue, hints, search prompt).
enum BarsView {
    static func header(_ state: ExplorerState, layout: ScreenLayout, context: ScreenContext, on canvas: Canvas) {
        let r = layout.header
        canvas.fill(r, role: .header)
        let position = state.visible.isEmpty ? "0/0" : "\(state.cursor + 1)/\(state.visible.count)"
        var parts = [" facecap", context.datasetName,
                     "\(position) faces" + (state.visible.count != state.items.count ? " of \(state.items.count)" : "")]
        if state.filter != .all { parts.append("filter: \(state.filter.label)") }
        if !state.search.isEmpty { parts.append("search: \(state.search)") }
        // A caption filter or search has only seen captioned faces: say how many it could not check.
        if state.listDependsOnCaptions, case let n = state.uncaptionedCount, n > 0 {
            parts.append(state.captionAll ? "\(n) not captioned yet (captioning)" : "\(n) not captioned yet (C)")
        }
        parts.append("models: " + (state.modelNames.isEmpty ? "none" : state.modelNames.joined(separator: ", ")))
        canvas.text(r.x, r.y, clip(parts.joined(separator: "  ·  "), r.width, ellipsis: context.glyphs.ellipsis),
                    role: .header, maxWidth: r.width)
    }

    static func status(_ state: ExplorerState, layout: ScreenLayout, context: ScreenContext, on canvas: Canvas) {
        let r = layout.status
        canvas.fill(r, role: .status)
        if case let .search(draft) = state.mode {
            canvas.text(r.x, r.y, clip("/" + draft + "_   (Enter keeps, Esc clears)", r.width), role: .status, maxWidth: r.width)
            return
        }
        let loaded = state.settings.indices.filter { state.settings[$0] != nil }.count
        let captioned = state.items.indices.filter { state.isCaptioned($0) }.count
        var queue = (state.captionAll && captioned < state.items.count ? "captioning all: " : "captioned ")
            + "\(captioned)/\(state.items.count)"
        if context.queue.running + context.queue.pending > 0 {
            queue += " · running \(context.queue.running), waiting \(context.queue.pending) (Esc stops)"
        }
        // The dataset's name is in the header; this line keeps its room for the queue.
        let left = " \(loaded)/\(state.modelNames.count) models · \(queue)"
        let hints = hintText(themeName: context.themeName)
        // The queue's state comes first; the hints take what is left (all, or "? help  q quit").
        let short = " " + KeyMap.bindings.filter { [.help, .quit].contains($0.actions.first?.action) }
            .compactMap { hint($0, themeName: context.themeName) }.joined(separator: "  ") + " "
        let right = left.count + 2 + hints.count <= r.width ? hints : short
        let leftWidth = max(0, r.width - right.count - 1)
        canvas.text(r.x, r.y, clip(left, leftWidth, ellipsis: context.glyphs.ellipsis), role: .status, maxWidth: leftWidth)
        canvas.text(r.maxX - right.count, r.y, right, role: .status, maxWidth: right.count)
    }

    /// "j/k move  / search  ...  q quit": the bindings that carry a hint, in list order.
    static func hintText(themeName: String) -> String {
        KeyMap.bindings.compactMap { hint($0, themeName: themeName) }.joined(separator: "  ") + " "
    }

    static func hint(_ binding: KeyBinding<Command>, themeName: String) -> String? {
        guard let word = binding.hint else { return nil }
        // The hint names the row's first keys ("j/k", "Tab"), not every alias.
        var keys = binding.plainKeys.split(separator: ",").first.map { $0.replacingOccurrences(of: " ", with: "") } ?? ""
        if keys.hasPrefix("Tab/") { keys = "Tab" }
        return "\(keys) \(word)" + (binding.actions.first?.action == .nextTheme ? "(\(themeName))" : "")
    }
}
