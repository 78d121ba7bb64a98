import Foundation

/// What `facecap show` learns about stdout's terminal without starting curses.
public enum TerminalEnvironment {
    /// Sets the locale from the environment and says whether its codeset is UTF-8 (half blocks need it).
    public static func utf8Locale() -> Bool {
        setlocale(LC_ALL, "")
        return String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    }

    /// The colour count `TERM`'s name promises (xterm-256color, screen-256color, xterm-direct); 16
    /// for other colour terminals, 8 for vt100-like ones. Read from the name rather than terminfo so
    /// `show` never loads curses.
    public static func colorsFromName(_ term: String) -> Int {
        let t = term.lowercased()
        if t.contains("direct") || t.contains("truecolor") || t.contains("24bit") { return 1 << 24 }
        if t.contains("256") || t == "xterm-kitty" || t == "xterm-ghostty" || t == "alacritty" || t.hasPrefix("foot") { return 256 }
        if t.isEmpty || t == "dumb" { return 0 }
        if t.hasPrefix("vt") { return 8 }
        return 16
    }

    /// The terminal's width in columns, if stdout is one.
    public static func columns() -> Int? {
        guard let k = TerminalProbe.windowPixelsFromKernel(), k.columns > 0 else { return nil }
        return k.columns
    }
}
