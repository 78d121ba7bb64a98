import CNcurses
import Faces
import Foundation

/// The rating screen's UI thread, on the explorer's terminal layer: `CursesSession` (modes, signals,
/// stderr, restore on every exit), `CursesKeys`, `CursesCanvas` with the theme, and the half-block
/// face through `TerminalImagePainter`. It only forwards keys to `RatingFlow` and draws it.
final class RatingLoop {
    private let flow: RatingFlow
    private let config: ExplorerConfig
    private let loadImage: (String) throws -> RGBImage
    private let session = CursesSession()
    private let imagePainter = TerminalImagePainter()
    private var canvas: CursesCanvas!
    private var imageMode: ImageMode = .ascii
    private var decoded: (imageID: String, result: Result<RGBImage, Error>)?
    private var rendered: (imageID: String, box: Rect, image: TerminalImage)?

    init(flow: RatingFlow, config: ExplorerConfig, loadImage: @escaping (String) throws -> RGBImage) {
        self.flow = flow
        self.config = config
        self.loadImage = loadImage
    }

    func run() throws -> ExplorerExit {
        try session.begin(mouse: false, stderrLogPath: config.stderrLogPath)
        defer { session.end() }
        imageMode = ImageMode.detect(environment: config.environment, colors: session.colorCount, utf8: session.utf8)
        canvas = session.canvas(theme: config.themes.themes[config.initialTheme])
        var dirty = true
        while true {
            if let s = SignalTrap.received { return .signal(s) }
            if dirty { draw(); dirty = false }
            waitForInput()
            if let s = SignalTrap.received { return .signal(s) }
            while let read = CursesKeys.read() {
                guard let key = read else { continue }
                if key == .resize {
                    clearok(curscr, true)
                    imagePainter.forget()
                }
                if flow.handle(key, layout: RatingLayout.compute(width: Int(COLS), height: Int(LINES))) { return .quit }
                dirty = true
            }
        }
    }

    private func draw() {
        let layout = RatingLayout.compute(width: Int(COLS), height: Int(LINES))
        let placement = RatingPainter.paint(flow, layout: layout, image: faceImage(box: layout.face),
                                            glyphs: session.utf8 ? .unicode : .ascii, on: canvas)
        imagePainter.prepare(for: placement)
        wnoutrefresh(stdscr)
        doupdate()
        imagePainter.paint(placement)
    }

    /// Faces are small PNGs decoded in milliseconds, so this happens here, once per face; the
    /// rendering is kept until the face or the box changes.
    private func faceImage(box: Rect) -> ScreenContext.FaceImage {
        guard case let .rating(face, _) = flow.screen, !box.isEmpty else { return .none }
        if let r = rendered, r.imageID == face.imageID, r.box == box { return .ready(r.image) }
        if decoded?.imageID != face.imageID {
            decoded = (face.imageID, Result { try loadImage(face.imageID) })
        }
        switch decoded!.result {
        case let .failure(error): return .failed("cannot show face \(face.imageID): \(error)")
        case let .success(image):
            guard let terminalImage = HalfBlockRenderer.render(image, boxColumns: box.width, boxRows: box.height,
                                                               mode: imageMode)
            else { return .failed("face \(face.imageID) is empty") }
            rendered = (face.imageID, box, terminalImage)
            return .ready(terminalImage)
        }
    }

    /// Sleeps until a key or a signal; the timeout bounds how long a resize can go unnoticed.
    private func waitForInput() {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: session.signalFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, nfds_t(fds.count), 200)
        if fds[1].revents != 0 { session.drainSignalPipe() }
    }
}
