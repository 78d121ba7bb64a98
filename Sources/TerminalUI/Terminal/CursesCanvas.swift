import CNcurses

/// The Canvas on ncurses' standard screen, styled by the current theme.
final class CursesCanvas: Canvas {
    var theme: Theme
    let colors: TerminalColors
    let ellipsis: String

    init(theme: Theme, colors: TerminalColors, ellipsis: String) {
        self.theme = theme
        self.colors = colors
        self.ellipsis = ellipsis
    }

    var width: Int { Int(COLS) }
    var height: Int { Int(LINES) }

    private func use(_ role: TextRole) {
        let (attrs, pair) = colors.attributes(for: theme[role], isDefaultText: role == .text)
        attr_set(attrs, pair, nil)
    }

    func fill(_ rect: Rect, role: TextRole) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        guard x1 > x0 else { return }
        use(role)
        let blank = String(repeating: " ", count: x1 - x0)
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            // The bottom-right cell can't be written without scrolling on some terminals; skip it.
            let s = (y == height - 1 && x1 == width) ? String(blank.dropLast()) : blank
            _ = mvaddstr(Int32(y), Int32(x0), s)
        }
    }

    func text(_ x: Int, _ y: Int, _ string: String, role: TextRole, maxWidth: Int) {
        guard y >= 0, y < height, x >= 0, x < width else { return }
        var limit = min(maxWidth, width - x)
        if y == height - 1 && x + limit >= width { limit = width - x - 1 }
        guard limit > 0 else { return }
        let visible = string.count <= limit ? string : String(string.prefix(limit))
        use(role)
        _ = mvaddstr(Int32(y), Int32(x), visible)
    }
}
