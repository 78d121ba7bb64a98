import Foundation

/// The explorer on the shared terminal loop: keys go to `ExplorerState`, worker events (woken by
/// the inbox's pipe), the autoplay timer and clip playback are applied between keys, and the screen
/// is painted from the state. Never runs a model or touches the disk itself.
final class ExplorerLoop: TerminalApp {
    private let config: ExplorerConfig
    private let dataset: ExplorerDataset
    private let services: ExplorerServices
    private var state: ExplorerState
    private let inbox = EventInbox()
    private let queue = CaptionJobQueue()
    private let images: ImageStore
    private let workers: CaptionWorkers
    private let face = RenderedFace<ShownFace>()
    private let latency: LatencyLog?
    private var keyTimes: [(String, UInt64)] = []
    /// A key moved to another face at this time; cleared when that face is on screen.
    private var faceWait: (item: Int, since: UInt64)?
    private let prefetch = FacePrefetch()
    private let framePrefetch = FacePrefetch()
    private var framePrefetched: ShownFace?
    private var drawn: (placement: ImagePlacement?, box: Rect, graphics: TerminalGraphics)?
    /// The last face rendering shown, kept up while the same clip's next frame loads.
    private var heldFrame: (face: ShownFace, box: Rect, image: TerminalImage)?
    private var autoplayDeadline: UInt64?
    private let recognition: RecognitionWorker?
    private let frames: FrameStore
    /// While a clip plays: when to show its next frame.
    private var frameDeadline: UInt64?
    static let framesPerSecond: UInt64 = 8

    init(config: ExplorerConfig, dataset: ExplorerDataset, models: [ExplorerModel], services: ExplorerServices,
         recognizer: ExplorerRecognizer? = nil) {
        self.config = config
        self.dataset = dataset
        self.services = services
        state = ExplorerState(items: dataset.items, models: models, themeIndex: config.initialTheme,
                              themeCount: config.themes.themes.count, recognizer: recognizer)
        state.datasetWarnings = dataset.warnings
        let inbox = inbox
        recognition = recognizer.map { RecognitionWorker(recognizer: $0, dataset: dataset, inbox: inbox) }
        frames = FrameStore(dataset: dataset, inbox: inbox)
        images = ImageStore(dataset: dataset, inbox: inbox)
        workers = CaptionWorkers(queue: queue, inbox: inbox, images: images, dataset: dataset, models: models, services: services)
        latency = config.latencyLogPath.flatMap(LatencyLog.init(path:))
    }

    func run() throws -> TerminalExit {
        defer { workers.stop() }
        return try TerminalLoop().run(self, options: config.terminal)
    }

    func start(_ screen: TerminalScreen) {
        workers.start(count: config.workerCount)
        scanRatings()
        replan()
        resetAutoplay()
    }

    func handle(_ key: KeyInput, screen: TerminalScreen) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        keyTimes.append(("\(key)", now))
        let selected = state.selectedItem
        if perform(state.handle(key, layout: layout(screen)), screen: screen) { return true }
        if let item = state.selectedItem, item != selected { faceWait = (item, now) }
        resetAutoplay()
        return false
    }

    var wakeFD: Int32? { inbox.wakeReadFD }

    var nextTickMilliseconds: Int? {
        let deadlines = [autoplayDeadline, frameDeadline].compactMap { $0 }
        guard let deadline = deadlines.min() else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        return deadline > now ? Int((deadline - now) / 1_000_000) : 0
    }

    func tick(screen: TerminalScreen) -> TerminalTick {
        var redraw = applyWorkerEvents(screen)
        if tickPlayback() { redraw = true }
        if let deadline = autoplayDeadline, DispatchTime.now().uptimeNanoseconds >= deadline {
            let atEnd = state.cursor >= state.visible.count - 1
            if perform(state.handle(atEnd ? .home : .down, layout: layout(screen)), screen: screen) { return .quit }
            resetAutoplay()
            redraw = true
        }
        return redraw ? .redraw : .idle
    }

    /// Carries out state effects; true means quit.
    private func perform(_ effects: [ExplorerState.Effect], screen: TerminalScreen) -> Bool {
        for effect in effects {
            switch effect {
            case .quit: return true
            case .cancelAll: queue.cancelAll()
            case .replan: replan()
            }
        }
        screen.theme = config.themes.themes[state.themeIndex]
        recognition?.want(state.wantedRecognitions)
        frameDeadline = state.isPlaying ? (frameDeadline ?? nextFrameTime()) : nil
        return false
    }

    private func nextFrameTime() -> UInt64 { DispatchTime.now().uptimeNanoseconds + 1_000_000_000 / Self.framesPerSecond }

    /// Shows a playing clip's next frame when it is due; the recognizer pane follows its window.
    private func tickPlayback() -> Bool {
        guard let deadline = frameDeadline, DispatchTime.now().uptimeNanoseconds >= deadline else { return false }
        state.advanceFrame()
        frameDeadline = state.isPlaying ? nextFrameTime() : nil
        recognition?.want(state.wantedRecognitions)
        return true
    }

    private func applyWorkerEvents(_ screen: TerminalScreen) -> Bool {
        let events = inbox.drain()
        guard !events.isEmpty else { return false }
        var needReplan = false, captionsChanged = false
        for event in events {
            needReplan = state.apply(event) || needReplan
            if case .finished = event { captionsChanged = true }
            if case .recognized = event { captionsChanged = true }
        }
        if captionsChanged, state.listDependsOnCaptions, state.refilter(layout: layout(screen)).contains(.replan) { needReplan = true }
        if needReplan { replan() }
        recognition?.want(state.wantedRecognitions)
        return true
    }

    private func replan() {
        state.queued = Set(queue.replacePlan(CaptionPlanner.plan(state, lookahead: config.lookahead)))
        recognition?.want(state.wantedRecognitions)
    }

    private func layout(_ screen: TerminalScreen) -> ScreenLayout {
        ScreenLayout.compute(width: screen.width, height: screen.height, modelCount: state.modelNames.count,
                             focusedPane: state.focusedPane,
                             recognizerRows: state.recognizer.map { $0.classes.count + 3 } ?? 0)
    }

    func draw(_ screen: TerminalScreen) -> ImagePlacement? {
        let layout = layout(screen)
        let counts = queue.counts
        let box = state.mode == .zoom ? ZoomView.faceBox(width: layout.width, height: layout.height) : layout.image
        let shown = state.selectedItem.map { ShownFace(item: $0, frame: state.frame(of: $0)) }
        var graphics = screen.graphics
        if graphics.mode.drawsPixels, FaceOverlay.isShown(state) {
            graphics.detection = ImageModeDetection(mode: .trueColor, reason: "a map or region is drawn over the face")
        }
        var image: FaceImage = shown.map { shown in
            face.image(id: shown, box: box, graphics: graphics, failure: { "cannot load face: \($0)" }) {
                // A clip's first frame is the face `ImageStore` (and the prefetcher) decode; later frames come from `FrameStore`.
                shown.frame == 0 ? images.cachedImage(shown.item) : frames.cachedFrame(item: shown.item, frame: shown.frame)
            }
        } ?? .none
        // While a clip's next frame is decoded the frame before it stays up, instead of a blank box
        // ("loading face…") between every two frames; the new frame then replaces it.
        var pictured = shown
        if case .loading = image, let held = heldFrame, held.face.item == shown?.item, held.box == box {
            image = .ready(held.image)
            pictured = held.face
        } else if case let .ready(ready) = image, let shown {
            heldFrame = (shown, box, ready)
        }
        // A playing clip's next frame is decoded and rendered ahead, off this thread (a pixel frame
        // costs as much as a face), once per frame shown.
        if state.isPlaying, let shown,
           case let next = ShownFace(item: shown.item, frame: (shown.frame + 1) % state.frameCount(of: shown.item)),
           next != framePrefetched {
            framePrefetched = next
            let frames = frames, images = images
            framePrefetch.render([(next.description, {
                next.frame == 0 ? images.image(next.item) : frames.frame(item: next.item, frame: next.frame)
            })], box: box, graphics: screen.graphics, cache: face.cache)
        }
        var context = ScreenContext(datasetName: dataset.name, themeName: screen.theme.name, glyphs: screen.glyphs,
                                    queue: counts, actionUnitName: services.actionUnitName, image: image)
        context.heat = Theme.heatColor(screen.theme)
        context.imageSummary = screen.graphics.summary
        var placement = ScreenPainter.paint(state, layout: layout, context: context, on: screen.canvas)
        placement?.label = pictured.map { state.items[$0.item].frames == nil ? state.items[$0.item].id : "\(state.items[$0.item].id)#\($0.frame + 1)" }
        drawn = (placement, box, screen.graphics)
        return placement
    }

    func didDraw() {
        let now = DispatchTime.now().uptimeNanoseconds
        for (key, t) in keyTimes { latency?.record(key: key, milliseconds: Double(now - t) / 1e6) }
        keyTimes.removeAll()
        guard let drawn, drawn.placement != nil, let item = state.selectedItem else { return }
        // The face can come a redraw later than the key (it is decoded off this thread).
        if let wait = faceWait, wait.item == item {
            latency?.record(face: state.items[item].id, milliseconds: Double(now - wait.since) / 1e6)
            faceWait = nil
        }
        if let i = state.visible.firstIndex(of: item) {
            let around = [i + 1, i - 1, i + 2].filter { state.visible.indices.contains($0) }.map { state.visible[$0] }
            prefetch.prefetch(around, box: drawn.box, graphics: drawn.graphics, images: images, cache: face.cache)
        }
    }

    private func resetAutoplay() {
        guard let seconds = config.autoplaySeconds, seconds > 0 else { return }
        autoplayDeadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    }

    private func scanRatings() {
        let items = dataset.items, isRated = services.isRated, inbox = inbox
        DispatchQueue.global(qos: .utility).async {
            inbox.post(.ratedLoaded(Set(items.indices.filter { isRated(items[$0]) })))
        }
    }
}

/// Which picture the face view shows: a still, or frame `frame` of a clip. Its description is the
/// render cache's face key, so frame 0 shares the key (and the prefetched rendering) of the face
/// itself and every later frame is rendered, cached and placed as an image of its own.
struct ShownFace: Equatable, CustomStringConvertible {
    var item: Int
    var frame: Int

    var description: String { frame == 0 ? "\(item)" : "\(item)#\(frame)" }
}
