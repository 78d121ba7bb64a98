import CNcurses
import Foundation

/// The UI thread: waits for keys, worker events and signals with poll(), updates the state and
/// redraws. Never runs a model or touches the disk itself.
final class ExplorerLoop {
    private let config: ExplorerConfig
    private let dataset: ExplorerDataset
    private let services: ExplorerServices
    private var state: ExplorerState
    private let inbox = EventInbox()
    private let queue = CaptionJobQueue()
    private let images: ImageStore
    private let workers: CaptionWorkers
    private let session = CursesSession()
    private let imagePainter = TerminalImagePainter()
    private var canvas: CursesCanvas!
    private var imageMode: ImageMode = .ascii
    private var rendered: (item: Int, frame: Int, box: Rect, mode: ImageMode, image: TerminalImage)?
    private let latency: LatencyLog?
    private var keyTimes: [(String, UInt64)] = []
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
        let inbox = inbox
        recognition = recognizer.map { RecognitionWorker(recognizer: $0, dataset: dataset, inbox: inbox) }
        frames = FrameStore(dataset: dataset, inbox: inbox)
        images = ImageStore(dataset: dataset, inbox: inbox)
        workers = CaptionWorkers(queue: queue, inbox: inbox, images: images, dataset: dataset, models: models, services: services)
        latency = config.latencyLogPath.flatMap(LatencyLog.init(path:))
    }

    func run() throws -> ExplorerExit {
        try session.begin(mouse: config.mouse, stderrLogPath: config.stderrLogPath)
        defer {
            workers.stop()
            session.end()
        }
        imageMode = ImageMode.detect(environment: config.environment, colors: session.colorCount, utf8: session.utf8)
        canvas = session.canvas(theme: config.themes.themes[state.themeIndex])
        workers.start(count: config.workerCount)
        scanRatings()
        replan()
        resetAutoplay()
        var dirty = true
        while true {
            if let s = SignalTrap.received { return .signal(s) }
            if dirty { draw(); dirty = false }
            waitForInput()
            if let s = SignalTrap.received { return .signal(s) }
            while let read = CursesKeys.read() {
                guard let key = read else { continue }
                keyTimes.append(("\(key)", DispatchTime.now().uptimeNanoseconds))
                if key == .resize {
                    clearok(curscr, true)
                    imagePainter.forget()
                }
                if perform(state.handle(key, layout: layout())) { return .quit }
                resetAutoplay()
                dirty = true
            }
            if applyWorkerEvents() { dirty = true }
            if tickPlayback() { dirty = true }
            if let deadline = autoplayDeadline, DispatchTime.now().uptimeNanoseconds >= deadline {
                let atEnd = state.cursor >= state.visible.count - 1
                if perform(state.handle(atEnd ? .home : .down, layout: layout())) { return .quit }
                resetAutoplay()
                dirty = true
            }
        }
    }

    /// Carries out state effects; true means quit.
    private func perform(_ effects: [ExplorerState.Effect]) -> Bool {
        for effect in effects {
            switch effect {
            case .quit: return true
            case .cancelAll: queue.cancelAll()
            case .replan: replan()
            }
        }
        canvas.theme = config.themes.themes[state.themeIndex]
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

    private func applyWorkerEvents() -> Bool {
        let events = inbox.drain()
        guard !events.isEmpty else { return false }
        var needReplan = false, captionsChanged = false
        for event in events {
            needReplan = state.apply(event) || needReplan
            if case .finished = event { captionsChanged = true }
            if case .recognized = event { captionsChanged = true }
        }
        if captionsChanged, state.listDependsOnCaptions, state.refilter(layout: layout()).contains(.replan) { needReplan = true }
        if needReplan { replan() }
        recognition?.want(state.wantedRecognitions)
        return true
    }

    private func replan() {
        state.queued = Set(queue.replacePlan(CaptionPlanner.plan(state, lookahead: config.lookahead)))
        recognition?.want(state.wantedRecognitions)
    }

    private func layout() -> ScreenLayout {
        ScreenLayout.compute(width: Int(COLS), height: Int(LINES), modelCount: state.modelNames.count,
                             focusedPane: state.focusedPane,
                             recognizerRows: state.recognizer.map { $0.classes.count + 3 } ?? 0)
    }

    private func draw() {
        let layout = layout()
        let counts = queue.counts
        let context = ScreenContext(datasetName: dataset.name, themeName: canvas.theme.name,
                                    glyphs: session.utf8 ? .unicode : .ascii, queue: counts,
                                    actionUnitName: services.actionUnitName, image: faceImage(box: layout.image))
        let placement = ScreenPainter.paint(state, layout: layout, context: context, on: canvas)
        imagePainter.prepare(for: placement)
        wnoutrefresh(stdscr)
        doupdate()
        imagePainter.paint(placement)
        let now = DispatchTime.now().uptimeNanoseconds
        for (key, t) in keyTimes { latency?.record(key: key, milliseconds: Double(now - t) / 1e6) }
        keyTimes.removeAll()
    }

    private func faceImage(box: Rect) -> ScreenContext.FaceImage {
        guard let item = state.selectedItem, !box.isEmpty else { return .none }
        let frame = state.frame(of: item)
        if let r = rendered, r.item == item, r.frame == frame, r.box == box, r.mode == imageMode { return .ready(r.image) }
        let loaded = state.items[item].frames != nil ? frames.cachedFrame(item: item, frame: frame) : images.cachedImage(item)
        switch loaded {
        case nil: return .loading
        case let .failure(error)?: return .failed("cannot load face: \(error)")
        case let .success(image)?:
            guard let terminalImage = HalfBlockRenderer.render(image, boxColumns: box.width, boxRows: box.height, mode: imageMode)
            else { return .failed("empty image") }
            rendered = (item, frame, box, imageMode, terminalImage)
            return .ready(terminalImage)
        }
    }

    /// Sleeps until a key, a worker event or a signal, at most 200 ms (ncurses learns of SIGWINCH
    /// through its own handler; the timeout bounds how long a resize can go unnoticed).
    private func waitForInput() {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: inbox.wakeReadFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: session.signalFD, events: Int16(POLLIN), revents: 0)]
        var timeout: Int32 = 200
        for deadline in [autoplayDeadline, frameDeadline].compactMap({ $0 }) {
            let now = DispatchTime.now().uptimeNanoseconds
            timeout = min(timeout, Int32(deadline > now ? (deadline - now) / 1_000_000 : 0))
        }
        _ = poll(&fds, nfds_t(fds.count), timeout)
        if fds[2].revents != 0 { session.drainSignalPipe() }
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
