/// Encodes a rendered face as the bytes a terminal draws it from: absolute cursor moves and SGR
/// colour changes, emitted only when a colour changes. Wrapped in DECSC/DECRC (ESC 7 / ESC 8) so the
/// cursor position and attributes ncurses believes in are exactly restored afterwards.
public enum ImageEscapes {
    static let esc = "\u{1b}["

    /// The bytes that draw `image` at a screen position, in any mode: a pixel protocol's graphic
    /// after a cursor move, or the cells' escapes.
    public static func bytes(_ image: TerminalImage, column: Int, row: Int) -> [UInt8] {
        guard let graphic = image.graphic else { return Array(encode(image, column: column, row: row).utf8) }
        return Array("\u{1b}7\(esc)\(row + 1);\(column + 1)H".utf8) + graphic.bytes + Array("\u{1b}8".utf8)
    }

    /// - Parameters: column/row: 0-based screen position of the image's top-left cell.
    public static func encode(_ image: TerminalImage, column: Int, row: Int) -> String {
        var out = "\u{1b}7"
        out.reserveCapacity(image.cells.count * 24)
        for r in 0..<image.rows {
            out += "\(esc)\(row + r + 1);\(column + 1)H" + line(image, row: r)
        }
        return out + "\u{1b}8"
    }

    /// One row of cells: SGR colour changes only where a colour changes, attributes reset at the end.
    public static func line(_ image: TerminalImage, row r: Int) -> String {
        var out = ""
        var lastFg: String? = nil, lastBg: String? = nil
        for c in 0..<image.columns {
            let cell = image[c, r]
            let fg = foreground(cell.foreground, image.mode), bg = background(cell.background, image.mode)
            var params: [String] = []
            if fg != lastFg { params.append(fg); lastFg = fg }
            if bg != lastBg { params.append(bg); lastBg = bg }
            if !params.isEmpty { out += esc + params.joined(separator: ";") + "m" }
            out.append(cell.glyph)
        }
        return out + "\(esc)0m"
    }

    static func foreground(_ c: RGB?, _ mode: ImageMode) -> String {
        guard let c else { return "39" }
        switch mode {
        case .trueColor: return "38;2;\(c.r);\(c.g);\(c.b)"
        case .palette256: return "38;5;\(Palette256.perceptualIndex(to: c))"
        case .grey16: return ["30", "90", "37", "97"][greyLevel(c)]
        case .ascii, .kitty, .iterm2, .sixel: return "39"
        }
    }

    static func background(_ c: RGB?, _ mode: ImageMode) -> String {
        guard let c else { return "49" }
        switch mode {
        case .trueColor: return "48;2;\(c.r);\(c.g);\(c.b)"
        case .palette256: return "48;5;\(Palette256.perceptualIndex(to: c))"
        case .grey16: return ["40", "100", "47", "107"][greyLevel(c)]
        case .ascii, .kitty, .iterm2, .sixel: return "49"
        }
    }

    /// Black, bright black, white, bright white: the only greys a 16-colour terminal promises.
    static func greyLevel(_ c: RGB) -> Int { max(0, min(3, Int(c.luma / 64))) }
}
