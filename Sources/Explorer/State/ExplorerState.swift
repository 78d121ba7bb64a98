import Captioning
import Faces

/// Everything the screen shows, and how keys and worker events change it. Pure value type: the
/// ncurses layer only draws it and carries out the returned effects, so behaviour is unit-tested
/// without a terminal.
public struct ExplorerState {
    public enum Mode: Equatable {
        case normal
        case search(draft: String)
        case filter(FilterMenu)
        case regenerate(RegenerateDialog)
        case help
        /// The focused pane's captions in full (panes cut long captions; real Exp-BLIP runs to 200 tokens).
        case fullCaption
        /// The face alone, as large as the terminal allows, its ground truth beside it (`z`).
        case zoom
        /// `w`: the dataset's warnings and the faces that could not be read.
        case warnings
        /// `o`: hide part of the focused face and compare every model's captions.
        case occlusion(OcclusionProbe)
    }

    public enum Effect: Equatable {
        /// Captioning priorities changed: plan and queue jobs again.
        case replan
        /// Esc: stop every job now.
        case cancelAll
        case quit
    }

    public let items: [FaceItem]
    public let modelNames: [String]
    public let modelErrors: [String?]
    /// Each model's default decoding settings (nil: the model did not load).
    public var settings: [DecodingSettings?]
    /// Settings chosen with `r`, for that face and model only; every other face keeps the defaults.
    public var faceSettings: [SlotKey: DecodingSettings] = [:]
    public var slots: [SlotKey: CaptionSlot] = [:]
    /// Planned but not started.
    public var queued: Set<SlotKey> = []
    /// Run even if the cache has it (`r`).
    public var forced: Set<SlotKey> = []
    /// Stopped with Esc; not planned again until the selection moves.
    public var cancelled: Set<SlotKey> = []
    public var rated: Set<Int> = []
    /// Faces whose image could not be read, and why (the list marks them; `w` lists them).
    public var unreadable: [Int: String] = [:]
    /// What opening the dataset reported, shown by `w` with the unreadable faces.
    public var datasetWarnings: [String] = []
    /// `C`: every face is captioned in the background, not only those around the selection.
    public var captionAll = false

    public var filter: FaceFilter = .all
    public var search = ""
    public private(set) var visible: [Int]
    public private(set) var cursor = 0
    public private(set) var scroll = 0
    public var focusedPane = 0
    public var mode: Mode = .normal
    /// First row of the help screen shown (it scrolls when the terminal is short).
    public var helpScroll = 0
    /// First row of the full-caption view shown (long captions scroll beside the face).
    public var captionScroll = 0
    public var themeIndex: Int
    public let themeCount: Int
    /// `a`: the focused caption's attention map over the face (recorded on demand).
    public var showAttention = false
    /// `c`: caption words shaded by confidence instead of emotion / action colours.
    public var showConfidence = false
    /// `s`: the list's order.
    public var listOrder: ListOrder = .dataset
    /// The full-caption view's current word (its map lights the face).
    public var wordCursor = 0

    /// The recognizer pane's model, its results, and the clip playback it follows (ExplorerState+Recognition).
    public var recognizer: ExplorerRecognizer?
    public var recognitions: [RecognitionKey: RecognitionSlot] = [:]
    public var playback: Playback?

    public init(items: [FaceItem], models: [ExplorerModel], themeIndex: Int = 0, themeCount: Int = 1,
                recognizer: ExplorerRecognizer? = nil) {
        self.recognizer = recognizer
        self.items = items
        modelNames = models.map(\.name)
        modelErrors = models.map(\.loadError)
        settings = models.map { $0.captioner?.defaultSettings }
        visible = Array(items.indices)
        self.themeIndex = themeIndex
        self.themeCount = max(1, themeCount)
    }

    public var selectedItem: Int? { visible.isEmpty ? nil : visible[cursor] }

    public func slot(_ key: SlotKey) -> CaptionSlot { slots[key] ?? .unknown }

    /// The settings a (face, model) is captioned with: `r`'s for that face, else the model's defaults.
    public func settings(for key: SlotKey) -> DecodingSettings? {
        guard key.model < settings.count, let defaults = settings[key.model] else { return nil }
        return faceSettings[key] ?? defaults
    }

    public func outcome(_ key: SlotKey) -> CaptionOutcome? {
        if case let .done(o) = slot(key) { return o }
        return nil
    }

    public func captions(of item: Int) -> [String] {
        modelNames.indices.flatMap { outcome(SlotKey(item: item, model: $0))?.result.captions ?? [] }
    }

    /// Some model's caption names only emotions other than the ground truth, or the recognizer's
    /// top class is not the ground truth (≠).
    public func disagrees(_ item: Int) -> Bool {
        modelNames.indices.contains { outcome(SlotKey(item: item, model: $0))?.disagrees ?? false } || recognitionDisagrees(item)
    }

    /// Some model's caption names the ground truth and another emotion (≈).
    public func partlyAgrees(_ item: Int) -> Bool {
        modelNames.indices.contains { outcome(SlotKey(item: item, model: $0))?.partlyAgrees ?? false }
    }

    /// Every loaded model has a caption for this face.
    public func isCaptioned(_ item: Int) -> Bool {
        let loaded = modelNames.indices.filter { settings[$0] != nil }
        return !loaded.isEmpty && loaded.allSatisfy { outcome(SlotKey(item: item, model: $0)) != nil }
    }

    // MARK: keys

    public mutating func handle(_ key: KeyInput, layout: ScreenLayout) -> [Effect] {
        // Below 80x24 only "enlarge the terminal" shows: a key typed blind must not open an
        // invisible dialog or move the selection, so only q (quit) acts.
        if layout.tooSmall { return key == .char("q") ? [.quit] : [] }
        switch mode {
        case .normal: return handleNormal(key, layout: layout)
        case .help:
            let step: Int?
            switch key {
            case .char("j"), .down, .wheelDown: step = 1
            case .char("k"), .up, .wheelUp: step = -1
            case .pageDown, .char(" "): step = max(1, layout.height - 4)
            case .pageUp, .char("b"): step = -max(1, layout.height - 4)
            case .resize: step = 0
            default: step = nil
            }
            // Scroll keys scroll only when there is more to see; anything else closes.
            let most = HelpScreen.maxScroll(layout, glyphs: .unicode)
            if let step, most > 0 || step == 0 {
                helpScroll = max(0, min(most, helpScroll + step))
            } else {
                mode = .normal
            }
            return []
        case .warnings:
            let most = WarningsView.maxScroll(self, layout: layout)
            switch key {
            case .char("j"), .down, .wheelDown: helpScroll = min(most, helpScroll + 1)
            case .char("k"), .up, .wheelUp: helpScroll = max(0, helpScroll - 1)
            case .resize: helpScroll = min(most, helpScroll)
            default: mode = .normal
            }
            return []
        case .fullCaption:
            return handleFullCaption(key, layout: layout)
        case var .occlusion(probe):
            let before = probe.region
            switch probe.handle(key) {
            case .stay:
                if probe.region != before { probe.started = false }
                mode = .occlusion(probe)
                return []
            case .run:
                mode = .occlusion(probe)
                if let item = selectedItem {
                    for m in modelNames.indices { cancelled.remove(SlotKey(item: item, model: m, occlusion: probe.region)) }
                }
                return [.replan]
            case .close:
                // Esc while the probe's captions run stops them; Esc again closes.
                if key == .escape, let item = selectedItem, probe.started {
                    let keys = modelNames.indices.map { SlotKey(item: item, model: $0, occlusion: probe.region) }
                    if WhyViews.probeBusy(self) {
                        cancelled.formUnion(keys)
                        queued.subtract(keys)
                        probe.started = false
                        mode = .occlusion(probe)
                        return [.cancelAll]
                    }
                }
                mode = .normal
                return [.replan]
            }
        case .zoom:
            // Moving keeps the zoom (faces compared at full size); z and Esc leave it, q quits.
            switch KeyMap.command(for: key) {
            case .move?, .page?, .top?, .bottom?: return handleNormal(key, layout: layout)
            // A clip plays (and steps) at full size too.
            case .playPause?, .stepFrame?: return handleNormal(key, layout: layout)
            case .quit?: return [.quit]
            case .zoom?, .cancel?: mode = .normal
            default: break
            }
            return []
        case let .search(draft):
            return handleSearch(key, draft: draft, layout: layout)
        case var .filter(menu):
            switch menu.handle(key) {
            case .stay: mode = .filter(menu); return []
            case .close: mode = .normal; return []
            case let .apply(newFilter):
                mode = .normal
                filter = newFilter
                return refilter(layout: layout)
            }
        case var .regenerate(dialog):
            switch dialog.handle(key) {
            case .stay: mode = .regenerate(dialog); return []
            case .close: mode = .normal; return []
            case .apply:
                mode = .normal
                return regenerate(dialog)
            }
        }
    }

    mutating func handleNormal(_ key: KeyInput, layout: ScreenLayout) -> [Effect] {
        if key == .resize { clampScroll(rows: layout.list.height); return [] }
        guard let command = KeyMap.command(for: key) else { return [] }
        let page = max(1, layout.list.height - 1)
        switch command {
        case let .move(d): return select(cursor + d, layout: layout)
        case let .page(d): return select(cursor + d * page, layout: layout)
        case .top: return select(0, layout: layout)
        case .bottom: return select(visible.count - 1, layout: layout)
        case .nextPane: focusedPane = (focusedPane + 1) % max(1, modelNames.count)
        case .previousPane: focusedPane = (focusedPane + max(1, modelNames.count) - 1) % max(1, modelNames.count)
        case .search: mode = .search(draft: search)
        case .filter: mode = .filter(FilterMenu(choices: FaceListFilter.choices(for: items)))
        case .regenerate:
            guard let item = selectedItem, let current = settings(for: SlotKey(item: item, model: focusedPane)) else { return [] }
            var dialog = RegenerateDialog(from: current)
            dialog.defaults = settings[focusedPane]
            mode = .regenerate(dialog)
        case .warnings:
            mode = .warnings
            helpScroll = 0
        case .captionAll:
            captionAll = true
            return [.replan]
        case .nextTheme: themeIndex = (themeIndex + 1) % themeCount
        case .help: mode = .help; helpScroll = 0
        case .zoom: if selectedItem != nil { mode = .zoom }
        case .readCaption:
            if let item = selectedItem, outcome(SlotKey(item: item, model: focusedPane)) != nil { mode = .fullCaption; wordCursor = 0; captionScroll = 0 }
        case .toggleAttention:
            showAttention.toggle()
            return [.replan]
        case .toggleConfidence: showConfidence.toggle()
        case .sortByConfidence:
            listOrder = listOrder.next
            return refilter(layout: layout)
        case .occlusionProbe:
            if selectedItem != nil, !modelNames.isEmpty { mode = .occlusion(OcclusionProbe()) }
        case .cancel:
            // Esc also clears an active search/filter when nothing runs, like lazygit.
            let busy = !queued.isEmpty || slots.values.contains { if case .running = $0 { return true }; return false }
            if busy { cancelled.formUnion(queued); queued.removeAll(); captionAll = false; return [.cancelAll] }
            if !search.isEmpty || filter != .all { search = ""; filter = .all; return refilter(layout: layout) }
        case .playPause, .stepFrame: handlePlayback(command)
        case .quit: return [.quit]
        case let .click(x, y):
            switch layout.hit(x: x, y: y) {
            case let .listRow(row)?: return select(scroll + row, layout: layout)
            case let .pane(i)?: if i < modelNames.count { focusedPane = i }
            case nil: break
            }
        }
        return []
    }

    mutating func handleSearch(_ key: KeyInput, draft: String, layout: ScreenLayout) -> [Effect] {
        var draft = draft
        switch key {
        case .escape: mode = .normal; search = ""
        case .enter: mode = .normal; return []
        case .backspace:
            if draft.isEmpty { mode = .normal } else { draft.removeLast(); mode = .search(draft: draft) }
            search = draft
        case let .char(c): draft.append(c); search = draft; mode = .search(draft: draft)
        case .down, .up: return handleNormal(key, layout: layout)
        default: return []
        }
        return refilter(layout: layout)
    }

    mutating func regenerate(_ dialog: RegenerateDialog) -> [Effect] {
        let targets = dialog.allModels ? Array(modelNames.indices) : [focusedPane]
        guard let item = selectedItem else { return [] }
        for m in targets where m < settings.count {
            guard let defaults = settings[m] else { continue }
            let key = SlotKey(item: item, model: m)
            let chosen = dialog.settings(from: defaults)
            faceSettings[key] = chosen == defaults ? nil : chosen
            forced.insert(key)
            cancelled.remove(key)
        }
        return [.replan]
    }

    /// Moves the selection (clamped) and keeps it on screen.
    mutating func select(_ index: Int, layout: ScreenLayout) -> [Effect] {
        let previous = selectedItem
        cursor = visible.isEmpty ? 0 : max(0, min(visible.count - 1, index))
        clampScroll(rows: layout.list.height)
        if selectedItem != previous {
            cancelled.removeAll()
            return [.replan]
        }
        return []
    }

    mutating func clampScroll(rows: Int) {
        let rows = max(1, rows)
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + rows { scroll = cursor - rows + 1 }
        scroll = max(0, min(scroll, max(0, visible.count - rows)))
    }

    /// Recomputes the visible list keeping the selected face when it is still shown.
    public mutating func refilter(layout: ScreenLayout) -> [Effect] {
        let previous = selectedItem
        let state = self
        visible = FaceListFilter.visible(items: items, filter: filter, search: search,
                                         captions: { state.captions(of: $0) }, disagrees: { state.disagrees($0) },
                                         partlyAgrees: { state.partlyAgrees($0) },
                                         lowestConfidence: { item in ListOrder.lowestConfidence.confidence(state.results(of: item)) })
        visible = listOrder.sorted(visible) { state.results(of: $0) }
        if let previous, let i = visible.firstIndex(of: previous) {
            cursor = i
        } else if let previous, let i = visible.firstIndex(where: { $0 > previous }) {
            cursor = i
        } else {
            cursor = max(0, visible.count - 1)
        }
        clampScroll(rows: layout.list.height)
        return selectedItem != previous ? [.replan] : []
    }

    // MARK: worker events

    /// Applies a worker event; returns true when the caption plan should be recomputed.
    public mutating func apply(_ event: WorkerEvent) -> Bool {
        switch event {
        case let .started(key):
            queued.remove(key)
            slots[key] = .running(nil)
            return false
        case let .progress(key, progress):
            if case .running = slot(key) { slots[key] = .running(progress) }
            return false
        case let .finished(key, outcome):
            queued.remove(key)
            forced.remove(key)
            slots[key] = .done(outcome)
            return false
        case let .cacheMiss(key):
            if case .unknown = slot(key) { slots[key] = .absent }
            return true
        case let .failed(key, message):
            queued.remove(key)
            forced.remove(key)
            slots[key] = .failed(message)
            return false
        case let .cancelled(key, byUser):
            queued.remove(key)
            if case .running = slot(key) { slots[key] = .absent }
            if byUser { cancelled.insert(key) }
            return true
        case .imageReady:
            return false
        case let .imageFailed(item, message):
            unreadable[item] = message
            return false
        case .recognitionStarted, .recognized, .recognitionFailed:
            return applyRecognition(event)
        case let .ratedLoaded(set):
            rated = set
            return false
        }
    }

    /// Faces some loaded model has no caption for yet: what a caption filter or search cannot see.
    public var uncaptionedCount: Int {
        guard settings.contains(where: { $0 != nil }) else { return 0 }
        return items.indices.filter { !isCaptioned($0) }.count
    }

    /// True when the filter or search looks at captions, so new captions can change the list.
    public var listDependsOnCaptions: Bool {
        if !search.isEmpty || listOrder != .dataset { return true }
        switch filter {
        case .disagrees, .partlyAgrees, .captionText, .unsure: return true
        default: return false
        }
    }
}
