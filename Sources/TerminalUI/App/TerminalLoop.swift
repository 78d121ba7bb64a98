import CNcurses
import Foundation

/// How a terminal app ended: `q`, or a signal (the caller should exit with 128 + signal).
public enum TerminalExit: Equatable, Sendable {
    case quit
    case signal(Int32)
}

/// What a screen app (the explorer, the rating screen) gives the shared terminal loop.
public protocol TerminalApp: AnyObject {
    /// Called once the terminal is set up, before the first draw.
    func start(_ screen: TerminalScreen)
    /// One key; true quits.
    func handle(_ key: KeyInput, screen: TerminalScreen) -> Bool
    /// A descriptor to wake on besides the keyboard (worker events), or nil.
    var wakeFD: Int32? { get }
    /// Milliseconds until `tick` is due by itself (a timer), or nil.
    var nextTickMilliseconds: Int? { get }
    /// After any wake-up: apply what arrived, run timers. Says whether to redraw or quit.
    func tick(screen: TerminalScreen) -> TerminalTick
    /// Draws the whole screen onto `screen.canvas`; returns where the face goes, if one is shown.
    func draw(_ screen: TerminalScreen) -> ImagePlacement?
    /// After the frame (and face) reached the terminal.
    func didDraw()
}

public enum TerminalTick: Sendable { case idle, redraw, quit }

extension TerminalApp {
    public func start(_ screen: TerminalScreen) {}
    public var wakeFD: Int32? { nil }
    public var nextTickMilliseconds: Int? { nil }
    public func tick(screen: TerminalScreen) -> TerminalTick { .idle }
    public func didDraw() {}
}

/// What an app draws on and knows of the terminal: the themed canvas, its size, whether UTF-8
/// and which image mode work here.
public final class TerminalScreen {
    let cursesCanvas: CursesCanvas
    public let utf8: Bool
    /// How faces are drawn here, the cell size in pixels, and why (see `TerminalGraphics`).
    public let graphics: TerminalGraphics
    public var imageMode: ImageMode { graphics.mode }
    public var canvas: Canvas { cursesCanvas }
    public var theme: Theme {
        get { cursesCanvas.theme }
        set { cursesCanvas.theme = newValue }
    }
    public var width: Int { Int(COLS) }
    public var height: Int { Int(LINES) }
    public var glyphs: Glyphs { utf8 ? .unicode : .ascii }

    init(canvas: CursesCanvas, utf8: Bool, graphics: TerminalGraphics) {
        cursesCanvas = canvas
        self.utf8 = utf8
        self.graphics = graphics
    }
}

/// Terminal settings both apps take: themes, mouse, where stderr goes, the environment.
public struct TerminalOptions: Sendable {
    /// Themes the explorer's `t` cycles through, and the one to start with.
    public var themes: ThemeSet = .builtin
    public var initialTheme: Int = 0
    /// Mouse clicks and the wheel (costs plain-drag text selection in most terminals).
    public var mouse: Bool = true
    /// While curses owns the terminal, anything written to stderr (library warnings, BLAS chatter)
    /// goes here instead of over the screen; `nil` discards it.
    public var stderrLogPath: String? = nil
    /// `--image-mode` / `image_mode`: how faces are drawn (detected by default).
    public var imageMode: ImageModeSetting = .auto
    /// Where `COLORTERM` is read from (tests override it).
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init() {}

    /// Loads `Themes/` from `themesDirectory` (built-in dark theme if absent) and picks `themeName`.
    public init(themesDirectory: URL?, themeName: String?) throws {
        themes = try ThemeSet.load(directory: themesDirectory)
        if let themeName { initialTheme = try themes.index(named: themeName) }
    }
}

/// The UI thread of both apps: owns the terminal (`CursesSession`), waits with poll() for a key,
/// the app's wake descriptor, a signal or the app's timer, hands keys to the app and redraws, and
/// writes the face after ncurses has flushed (`TerminalImagePainter`). Never runs a model or
/// touches the disk itself.
public final class TerminalLoop {
    private let session = CursesSession()
    private let imagePainter = TerminalImagePainter()
    private var imageLog: ImagePlacementLog?
    private var cell = CellSize.fallback

    public init() {}

    /// Takes over the terminal until the app quits or a signal; the terminal is restored either
    /// way. Throws an `InputError` when there is no usable terminal.
    public func run(_ app: TerminalApp, options: TerminalOptions) throws -> TerminalExit {
        try session.begin(mouse: options.mouse, stderrLogPath: options.stderrLogPath)
        defer {
            imagePainter.clear()
            session.end()
        }
        let graphics = TerminalGraphics.detect(session: session, options: options, columns: Int(COLS), rows: Int(LINES))
        cell = graphics.cell
        imageLog = ImagePlacementLog(environment: options.environment)
        let themes = options.themes.themes
        let screen = TerminalScreen(canvas: session.canvas(theme: themes[min(options.initialTheme, themes.count - 1)]),
                                    utf8: session.utf8, graphics: graphics)
        app.start(screen)
        var dirty = true
        while true {
            if let s = SignalTrap.received { return .signal(s) }
            if dirty { draw(app, screen); dirty = false }
            waitForInput(app)
            if let s = SignalTrap.received { return .signal(s) }
            while let read = CursesKeys.read() {
                guard let key = read else { continue }
                if key == .resize {
                    clearok(curscr, true)
                    imagePainter.forget()
                }
                if app.handle(key, screen: screen) { return .quit }
                dirty = true
            }
            switch app.tick(screen: screen) {
            case .quit: return .quit
            case .redraw: dirty = true
            case .idle: break
            }
        }
    }

    private func draw(_ app: TerminalApp, _ screen: TerminalScreen) {
        let placement = app.draw(screen)
        imagePainter.prepare(for: placement)
        wnoutrefresh(stdscr)
        doupdate()
        imagePainter.paint(placement)
        imageLog?.record(face: placement?.label, placement: placement, cell: cell)
        app.didDraw()
    }

    /// Sleeps until a key, the app's wake descriptor or a signal, at most 200 ms (ncurses learns of
    /// SIGWINCH through its own handler; the timeout bounds how long a resize can go unnoticed).
    private func waitForInput(_ app: TerminalApp) {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: session.signalFD, events: Int16(POLLIN), revents: 0)]
        if let wake = app.wakeFD { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
        let timeout = Int32(max(0, min(200, app.nextTickMilliseconds ?? 200)))
        _ = poll(&fds, nfds_t(fds.count), timeout)
        if fds[1].revents != 0 { session.drainSignalPipe() }
    }
}
