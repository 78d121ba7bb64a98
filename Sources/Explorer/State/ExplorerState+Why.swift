import Captioning

extension ExplorerState {
    /// Every model's finished result for a face (the numbers the list orders and filters by).
    func results(of item: Int) -> [CaptionResult] {
        modelNames.indices.compactMap { outcome(SlotKey(item: item, model: $0))?.result }
    }

    /// The full-caption view: h/l or arrows (and w/b) move across the words, lighting the face with
    /// each word's map; `a` records the map when it is missing; any other key closes.
    mutating func handleFullCaption(_ key: KeyInput) -> [Effect] {
        let words = selectedItem.flatMap { outcome(SlotKey(item: $0, model: focusedPane))?.words.first } ?? []
        switch key {
        case .char("l"), .right, .char("w"), .tab: wordCursor = min(max(0, words.count - 1), wordCursor + 1)
        case .char("h"), .left, .char("b"), .backTab: wordCursor = max(0, wordCursor - 1)
        case .char("j"), .down, .pageDown, .char(" "): wordCursor = min(max(0, words.count - 1), wordCursor + 10)
        case .char("k"), .up, .pageUp: wordCursor = max(0, wordCursor - 10)
        case .char("g"), .home: wordCursor = 0
        case .char("G"), .end: wordCursor = max(0, words.count - 1)
        case .char("a"):
            showAttention.toggle()
            return [.replan]
        case .resize: break
        default: mode = .normal
        }
        return []
    }

    /// The probe's slots for the selected face, one per model, when it has been run.
    public var probeKeys: [SlotKey] {
        guard case let .occlusion(probe) = mode, probe.started, let item = selectedItem else { return [] }
        return modelNames.indices.map { SlotKey(item: item, model: $0, occlusion: probe.region) }
    }
}
