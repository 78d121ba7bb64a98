import Foundation

/// How a face is drawn, from best to poorest terminal: three pixel protocols that show the face at
/// the terminal's own resolution, then cell-based fallbacks. Chosen once at start-up from the
/// environment and the terminal's answers (see `ImageModeDetection`), the way timg and chafa decide.
public enum ImageMode: String, Sendable, CaseIterable {
    /// kitty graphics protocol (kitty, Ghostty, Konsole, WezTerm): a PNG sent in an APC sequence.
    case kitty
    /// iTerm2 inline images (iTerm2, WezTerm, mintty): a PNG in an OSC 1337 sequence.
    case iterm2
    /// DEC sixel (xterm -ti vt340, foot, mlterm, WezTerm, Windows Terminal, tmux 3.4+): a
    /// palette image of six-pixel bands.
    case sixel
    /// Half blocks, 24-bit SGR colours.
    case trueColor
    /// Half blocks, perceptually nearest entry of the 256-colour cube + grey ramp, dithered.
    case palette256
    /// Half blocks in the four greys every 16-colour terminal has (black, bright black, white, bright white).
    case grey16
    /// One character per cell from a density ramp; for 8-colour terminals and non-UTF-8 locales.
    case ascii

    /// True for the protocols that draw real pixels rather than coloured cells.
    public var drawsPixels: Bool { self == .kitty || self == .iterm2 || self == .sixel }

    /// The name `--image-mode`, the config file and the help screen use.
    public var name: String {
        switch self {
        case .kitty: return "kitty"
        case .iterm2: return "iterm"
        case .sixel: return "sixel"
        case .trueColor: return "truecolor"
        case .palette256: return "256"
        case .grey16: return "grey"
        case .ascii: return "ascii"
        }
    }

    /// The best cell-based mode: what timg and viu fall back to.
    /// - Parameters:
    ///   - environment: the process environment (`COLORTERM` is read).
    ///   - colors: the terminal's colour count (ncurses' `COLORS`).
    ///   - utf8: whether the locale's codeset is UTF-8 (half blocks need it).
    ///   - directColor: the terminal said it keeps a 24-bit colour (ssh does not pass `COLORTERM`).
    public static func detect(environment: [String: String], colors: Int, utf8: Bool, directColor: Bool = false) -> ImageMode {
        guard utf8 else { return .ascii }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" || directColor { return .trueColor }
        if colors >= 256 { return .palette256 }
        if colors >= 16 { return .grey16 }
        return .ascii
    }
}

/// What the user asked for: `--image-mode` or `image_mode` in the config file.
public enum ImageModeSetting: Equatable, Sendable {
    /// Detect the best mode.
    case auto
    /// The best cell-based mode for this terminal's colours.
    case blocks
    case exactly(ImageMode)

    public static let names = ["auto", "kitty", "iterm", "sixel", "blocks", "truecolor", "256", "grey", "ascii"]

    public init?(name: String) {
        switch name.lowercased() {
        case "auto": self = .auto
        case "blocks": self = .blocks
        case let n:
            guard let mode = ImageMode.allCases.first(where: { $0.name == n }) else { return nil }
            self = .exactly(mode)
        }
    }
}
