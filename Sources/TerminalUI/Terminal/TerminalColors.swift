import CNcurses

/// Maps theme styles onto what the terminal has: the 256-colour palette, the 8/16 ANSI colours,
/// or no colour at all (then only bold/underline/reverse carry meaning). ncurses colour pairs are
/// allocated on demand and cached, so a theme switch costs a handful of `init_pair` calls.
final class TerminalColors {
    let colorCount: Int
    private var pairs: [Int32: Int16] = [:]
    private var nextPair: Int16 = 1

    // A_* attributes are function-like macros in curses.h (NCURSES_BITS), so not visible to Swift.
    static let bold = attr_t(1) << (13 + 8)
    static let underline = attr_t(1) << (9 + 8)
    static let reverse = attr_t(1) << (10 + 8)

    init(colorCount: Int) {
        self.colorCount = colorCount
    }

    /// Attributes and pair for a style.
    func attributes(for style: TextStyle, isDefaultText: Bool) -> (attr_t, Int16) {
        var attrs: attr_t = 0
        if style.bold { attrs |= Self.bold }
        if style.underline { attrs |= Self.underline }
        if style.reverse { attrs |= Self.reverse }
        guard colorCount >= 8 else {
            // No colours: anything with its own background must still stand out.
            if !isDefaultText && style.background != .terminalDefault && !style.bold { attrs |= Self.reverse }
            return (attrs, 0)
        }
        return (attrs, pair(index(style.foreground), index(style.background)))
    }

    func index(_ color: ThemeColor) -> Int16 {
        guard case let .rgb(c) = color else { return -1 }
        if colorCount >= 256 { return Int16(Palette256.nearestIndex(to: c)) }
        var i = (c.r > 127 ? 1 : 0) | (c.g > 127 ? 2 : 0) | (c.b > 127 ? 4 : 0)
        if colorCount >= 16, max(c.r, c.g, c.b) > 200 || (i == 0 && c.luma > 80) { i += 8 }
        return Int16(i)
    }

    private func pair(_ fg: Int16, _ bg: Int16) -> Int16 {
        let key = Int32(fg) << 16 | Int32(UInt16(bitPattern: bg))
        if let p = pairs[key] { return p }
        guard Int32(nextPair) < min(COLOR_PAIRS, 32767) else { return 0 }
        let p = nextPair
        init_pair(p, fg, bg)
        nextPair += 1
        pairs[key] = p
        return p
    }
}
