import Foundation

/// How a face is drawn, from best to poorest terminal. Chosen once at start-up from the environment
/// and the terminal's colour count, the way timg and viu decide.
public enum ImageMode: String, Sendable, CaseIterable {
    /// Half blocks, 24-bit SGR colours (`COLORTERM=truecolor` or `24bit`).
    case trueColor
    /// Half blocks, nearest entry of the 256-colour cube + grey ramp.
    case palette256
    /// Half blocks in the four greys every 16-colour terminal has (black, bright black, white, bright white).
    case grey16
    /// One character per cell from a density ramp; for 8-colour terminals and non-UTF-8 locales.
    case ascii

    /// - Parameters:
    ///   - environment: the process environment (`COLORTERM` is read).
    ///   - colors: the terminal's colour count (ncurses' `COLORS`).
    ///   - utf8: whether the locale's codeset is UTF-8 (half blocks need it).
    public static func detect(environment: [String: String], colors: Int, utf8: Bool) -> ImageMode {
        guard utf8 else { return .ascii }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .trueColor }
        if colors >= 256 { return .palette256 }
        if colors >= 16 { return .grey16 }
        return .ascii
    }
}
