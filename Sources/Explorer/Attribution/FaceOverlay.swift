import Captioning

/// Which map (if any) goes over the selected face, from the state: the occlusion probe shows its
/// region; the full-caption view the current word's map; `a` the focused caption's map.
public enum FaceOverlay {
    /// Whether something is drawn over the selected face: the overlays recolour half-block cells, so
    /// while one shows a terminal with a pixel protocol gets the face in 24-bit half blocks instead.
    public static func isShown(_ state: ExplorerState) -> Bool {
        if case .occlusion = state.mode { return true }
        return state.shownMap() != nil
    }

    public static func decorate(_ image: TerminalImage, state: ExplorerState, heat: RGB) -> TerminalImage {
        if case let .occlusion(probe) = state.mode { return HeatOverlay.grey(image, region: probe.region) }
        guard let shown = state.shownMap() else { return image }
        return HeatOverlay.blend(image, map: shown.map, gridRows: shown.gridRows, gridColumns: shown.gridColumns, heat: heat)
    }
}

extension ExplorerState {
    /// The focused pane's first caption's map: over the word under the cursor in the full-caption
    /// view, else over the whole caption when `a` is on; nil when nothing is recorded.
    public func shownMap() -> (map: [Float], gridRows: Int, gridColumns: Int, word: String?)? {
        guard mode == .fullCaption || showAttention, let item = selectedItem,
              let outcome = outcome(SlotKey(item: item, model: focusedPane)),
              let attention = outcome.result.attention, let maps = attention.tokenMaps.first else { return nil }
        let words = outcome.words.first ?? []
        if mode == .fullCaption, !words.isEmpty {
            let word = words[max(0, min(words.count - 1, wordCursor))]
            guard let map = AttentionMap.average(maps, tokens: word.tokens) else { return nil }
            return (map, attention.gridRows, attention.gridColumns, word.text)
        }
        // The caption's map: the tokens that wrote words (not a closing eos); every token when unknown.
        let tokens = words.isEmpty ? Array(maps.indices) : words.flatMap(\.tokens)
        guard let map = AttentionMap.average(maps, tokens: tokens) else { return nil }
        return (map, attention.gridRows, attention.gridColumns, nil)
    }

    /// `a` is on but the focused caption has no recorded map yet (it is being recorded, or waits).
    public var attentionPending: Bool {
        guard showAttention, let item = selectedItem, settings.indices.contains(focusedPane), settings[focusedPane] != nil else { return false }
        guard let o = outcome(SlotKey(item: item, model: focusedPane)) else { return true }
        return o.result.attention == nil && !o.attentionAsked
    }

    /// `a` is on, and the focused model was asked but cannot record attention.
    public var attentionUnavailable: Bool {
        guard showAttention, let item = selectedItem, let o = outcome(SlotKey(item: item, model: focusedPane)) else { return false }
        return o.result.attention == nil && o.attentionAsked
    }
}
