/// Picks the image mode: the user's setting, else what the terminal is known or says to draw best.
/// Order (timg and chafa decide alike): terminals known by their environment variables, then the
/// terminal's answers (kitty query, DA1's sixel flag), then half blocks in as many colours as it has.
public struct ImageModeDetection: Equatable, Sendable {
    public var mode: ImageMode
    /// Why, in a few words, for the help screen.
    public var reason: String

    public init(mode: ImageMode, reason: String) {
        self.mode = mode
        self.reason = reason
    }

    public static func detect(setting: ImageModeSetting, environment env: [String: String], answers: TerminalAnswers,
                              colors: Int, utf8: Bool) -> ImageModeDetection {
        let blocks = ImageMode.detect(environment: env, colors: colors, utf8: utf8, directColor: answers.directColor)
        switch setting {
        case let .exactly(mode): return ImageModeDetection(mode: mode, reason: "set by --image-mode or the config file")
        case .blocks: return ImageModeDetection(mode: blocks, reason: "blocks set; \(colorReason(env, answers, colors))")
        case .auto: break
        }
        let term = (env["TERM"] ?? "").lowercased()
        let program = env["TERM_PROGRAM"] ?? ""
        // tmux and screen draw the screen themselves: a kitty or iTerm2 image would have to be passed
        // through to the outer terminal, where tmux does not know it is there. tmux 3.4+ draws sixel
        // itself and says so in its DA1 reply.
        let multiplexer = env["TMUX"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux")
        if !multiplexer {
            if term == "xterm-kitty" || env["KITTY_WINDOW_ID"] != nil { return .init(mode: .kitty, reason: "kitty (TERM)") }
            if term == "xterm-ghostty" || program == "ghostty" { return .init(mode: .kitty, reason: "Ghostty (TERM)") }
            if program == "iTerm.app" || env["LC_TERMINAL"] == "iTerm2" {
                return .init(mode: .iterm2, reason: "iTerm2 (TERM_PROGRAM / LC_TERMINAL)")
            }
            if program == "WezTerm" { return .init(mode: .iterm2, reason: "WezTerm (TERM_PROGRAM)") }
            if program == "mintty" { return .init(mode: .iterm2, reason: "mintty (TERM_PROGRAM)") }
            if env["KONSOLE_VERSION"] != nil { return .init(mode: .kitty, reason: "Konsole (KONSOLE_VERSION)") }
            if answers.kittyGraphics { return .init(mode: .kitty, reason: "the terminal answered the kitty graphics query") }
        }
        if answers.sixel { return .init(mode: .sixel, reason: "the terminal's device attributes include sixel") }
        return .init(mode: blocks, reason: "no graphics protocol detected; \(colorReason(env, answers, colors))")
    }

    static func colorReason(_ env: [String: String], _ answers: TerminalAnswers, _ colors: Int) -> String {
        let colorTerm = (env["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return "COLORTERM=\(colorTerm)" }
        if answers.directColor { return "24-bit colour read back from the terminal" }
        return "\(colors) colours (terminfo)"
    }
}

/// Everything the terminal layer learnt at start-up about drawing faces.
public struct TerminalGraphics: Sendable {
    public var detection: ImageModeDetection
    public var cell: CellSize
    public var cellReason: String
    public var sixelRegisters: Int

    public var mode: ImageMode { detection.mode }

    /// One line for the help screen: "images: sixel (the terminal's device attributes include sixel), cell 6x13 px".
    public var summary: String {
        var s = "images: \(mode.name) (\(detection.reason))"
        if mode.drawsPixels { s += ", cell \(cell.width)x\(cell.height) px (\(cellReason))" }
        return s
    }

    public init(detection: ImageModeDetection, cell: CellSize, cellReason: String, sixelRegisters: Int) {
        self.detection = detection
        self.cell = cell
        self.cellReason = cellReason
        self.sixelRegisters = sixelRegisters
    }

    /// Detects the mode and the cell size; queries the terminal only when the answer can matter.
    public static func detect(setting: ImageModeSetting, environment: [String: String], colors: Int, utf8: Bool,
                              columns: Int, rows: Int, probe: () -> TerminalAnswers) -> TerminalGraphics {
        var answers = TerminalAnswers()
        let term = environment["TERM"] ?? ""
        let needsAnswers: Bool
        switch setting {
        case .auto: needsAnswers = true
        case .blocks: needsAnswers = true  // 24-bit colour where COLORTERM is missing
        case let .exactly(mode): needsAnswers = mode.drawsPixels
        }
        // The Linux console prints what it does not understand; it draws no graphics anyway.
        if needsAnswers && term != "linux" && term != "dumb" { answers = probe() }
        let detection = ImageModeDetection.detect(setting: setting, environment: environment, answers: answers,
                                                  colors: colors, utf8: utf8)
        var cell = CellSize.fallback, reason = "default, the terminal did not say"
        if let c = answers.cellPixels, c.width > 0, c.height > 0 {
            cell = c; reason = "CSI 16 t"
        } else if let c = answers.cellSize(columns: columns, rows: rows) {
            cell = c; reason = "CSI 14 t"
        } else if let k = TerminalProbe.windowPixelsFromKernel(), k.columns > 0, k.rows > 0, k.width >= k.columns, k.height >= k.rows {
            cell = CellSize(width: k.width / k.columns, height: k.height / k.rows); reason = "TIOCGWINSZ"
        }
        return TerminalGraphics(detection: detection, cell: cell, cellReason: reason,
                                sixelRegisters: min(256, max(16, answers.sixelRegisters ?? 256)))
    }
}
