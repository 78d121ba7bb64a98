import Foundation

/// Options of `facecap explore`, already parsed.
public struct ExplorerConfig: Sendable {
    /// Themes `t` cycles through, and the one to start with.
    public var themes: ThemeSet = .builtin
    public var initialTheme: Int = 0
    /// `--autoplay SECONDS`: step to the next face by itself.
    public var autoplaySeconds: Double? = nil
    /// Captioning threads. Each captioner may itself use several BLAS threads, so keep this small.
    public var workerCount: Int = 2
    /// How many faces on each side of the selection are captioned ahead of time.
    public var lookahead: Int = 2
    /// Mouse clicks select list rows and focus panes (costs plain-drag text selection in most terminals).
    public var mouse: Bool = true
    /// While curses owns the terminal, anything written to stderr (library warnings, BLAS chatter)
    /// goes here instead of over the screen; `nil` discards it.
    public var stderrLogPath: String? = nil
    /// One line per key press: key, milliseconds from reading the key to the finished redraw.
    public var latencyLogPath: String? = ProcessInfo.processInfo.environment["FACECAP_LATENCY_LOG"]
    /// `--image-mode` / `image_mode`: how faces are drawn (detected by default).
    public var imageMode: ImageModeSetting = .auto
    /// Where `COLORTERM` is read from (tests override it).
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init() {}

    /// The part the shared terminal loop reads.
    public var terminal: TerminalOptions {
        var options = TerminalOptions()
        options.themes = themes
        options.initialTheme = initialTheme
        options.mouse = mouse
        options.stderrLogPath = stderrLogPath
        options.environment = environment
        options.imageMode = imageMode
        return options
    }

    /// Loads `Themes/` from `themesDirectory` (built-in dark theme if absent) and picks `themeName`.
    public init(themesDirectory: URL?, themeName: String?) throws {
        themes = try ThemeSet.load(directory: themesDirectory)
        if let themeName { initialTheme = try themes.index(named: themeName) }
    }
}
