import Captioning

extension ExplorerState {
    /// Every model's finished result for a face (the numbers the list orders and filters by).
    func results(of item: Int) -> [CaptionResult] {
        modelNames.indices.compactMap { outcome(SlotKey(item: item, model: $0))?.result }
    }

    /// The full-caption view: h/l or arrows (and w/b, Tab) move across the words, lighting the face
    /// with each word's map, and the text follows the word; j/k (PgDn/PgUp) scroll text longer than
    /// its box; `a` records the map when it is missing; any other key (or a scroll key with nothing
    /// to scroll) closes.
    mutating func handleFullCaption(_ key: KeyInput, layout: ScreenLayout) -> [Effect] {
        let words = selectedItem.flatMap { outcome(SlotKey(item: $0, model: focusedPane))?.words.first } ?? []
        let most = Overlays.fullCaptionText(self, layout: layout, glyphs: .unicode)?.maxScroll ?? 0
        let last = max(0, words.count - 1)
        var step: Int?
        switch key {
        case .char("l"), .right, .char("w"), .tab: wordCursor = min(last, wordCursor + 1)
        case .char("h"), .left, .char("b"), .backTab: wordCursor = max(0, wordCursor - 1)
        case .char("g"), .home: wordCursor = 0
        case .char("G"), .end: wordCursor = last
        case .char("a"):
            showAttention.toggle()
            return [.replan]
        case .char("j"), .down, .wheelDown: step = 1
        case .char("k"), .up, .wheelUp: step = -1
        case .pageDown, .char(" "): step = 5
        case .pageUp: step = -5
        case .resize: step = 0
        default:
            mode = .normal
            return []
        }
        if let step {
            if most > 0 || step == 0 { captionScroll = max(0, min(most, captionScroll + step)) } else { mode = .normal }
            return []
        }
        // The text follows the word cursor.
        if let view = Overlays.fullCaptionText(self, layout: layout, glyphs: .unicode), let line = view.cursorLine {
            if line < captionScroll { captionScroll = line }
            if line >= captionScroll + view.rows { captionScroll = line - view.rows + 1 }
            captionScroll = max(0, min(view.maxScroll, captionScroll))
        }
        return []
    }

    /// The probe's slots for the selected face, one per model, when it has been run.
    public var probeKeys: [SlotKey] {
        guard case let .occlusion(probe) = mode, probe.started, let item = selectedItem else { return [] }
        return modelNames.indices.map { SlotKey(item: item, model: $0, occlusion: probe.region) }
    }
}
