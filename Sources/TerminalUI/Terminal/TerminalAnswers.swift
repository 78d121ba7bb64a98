/// What a terminal said about itself in reply to `TerminalProbe`'s queries, parsed from the raw
/// bytes it sent back. Pure, so every terminal's dialect is a unit test.
public struct TerminalAnswers: Equatable, Sendable {
    /// Primary device attributes (DA1, `CSI ? 62 ; 4 ; ... c`); 4 means sixel graphics.
    public var deviceAttributes: [Int]? = nil
    /// CSI 16 t -> `CSI 6 ; height ; width t`.
    public var cellPixels: CellSize? = nil
    /// CSI 14 t -> `CSI 4 ; height ; width t`: the text area in pixels.
    public var windowPixels: (width: Int, height: Int)? = nil
    /// The kitty graphics query was answered (`ESC _ G i=31 ; OK ESC \`).
    public var kittyGraphics = false
    /// DECRQSS for SGR read back the 24-bit colour just set, so the terminal keeps 24-bit colour.
    public var directColor = false
    /// XTSMGRAPHICS: how many sixel colour registers the terminal has.
    public var sixelRegisters: Int? = nil

    public init() {}

    public var sixel: Bool { deviceAttributes?.contains(4) ?? false }
    /// True once the DA1 reply (which every terminal sends, and sends last) has been read.
    public var complete: Bool { deviceAttributes != nil }

    public static func == (a: TerminalAnswers, b: TerminalAnswers) -> Bool {
        a.deviceAttributes == b.deviceAttributes && a.cellPixels == b.cellPixels
            && a.windowPixels?.width == b.windowPixels?.width && a.windowPixels?.height == b.windowPixels?.height
            && a.kittyGraphics == b.kittyGraphics && a.directColor == b.directColor && a.sixelRegisters == b.sixelRegisters
    }

    /// The cell size: the terminal's direct answer, else its window size over the cell grid.
    public func cellSize(columns: Int, rows: Int) -> CellSize? {
        if let c = cellPixels, c.width > 0, c.height > 0 { return c }
        if let w = windowPixels, columns > 0, rows > 0, w.width >= columns, w.height >= rows {
            return CellSize(width: w.width / columns, height: w.height / rows)
        }
        return nil
    }

    /// Reads every reply in `bytes`; unknown sequences and stray bytes are skipped.
    public static func parse(_ bytes: [UInt8]) -> TerminalAnswers {
        var answers = TerminalAnswers()
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x1b, i + 1 < bytes.count else { i += 1; continue }
            switch bytes[i + 1] {
            case UInt8(ascii: "["):
                // CSI: parameters and intermediates up to a final byte in 0x40...0x7e.
                var j = i + 2
                while j < bytes.count && !(0x40...0x7e).contains(bytes[j]) { j += 1 }
                guard j < bytes.count else { return answers }
                answers.readCSI(Array(bytes[(i + 2)..<j]), final: bytes[j])
                i = j + 1
            case UInt8(ascii: "_"), UInt8(ascii: "P"), UInt8(ascii: "]"):
                // APC, DCS, OSC: a string up to ST (ESC \) or BEL.
                var j = i + 2
                while j < bytes.count && bytes[j] != 0x07 && !(bytes[j] == 0x1b && j + 1 < bytes.count && bytes[j + 1] == UInt8(ascii: "\\")) {
                    j += 1
                }
                guard j < bytes.count else { return answers }
                answers.readString(kind: bytes[i + 1], String(decoding: bytes[(i + 2)..<j], as: UTF8.self))
                i = j + (bytes[j] == 0x07 ? 1 : 2)
            default:
                i += 1
            }
        }
        return answers
    }

    private mutating func readCSI(_ body: [UInt8], final: UInt8) {
        let text = String(decoding: body, as: UTF8.self)
        let isPrivate = text.hasPrefix("?")
        let numbers = text.drop(while: { $0 == "?" }).split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        switch final {
        case UInt8(ascii: "c") where isPrivate:
            deviceAttributes = numbers
        case UInt8(ascii: "t") where !isPrivate && numbers.count >= 3:
            if numbers[0] == 6 { cellPixels = CellSize(width: numbers[2], height: numbers[1]) }
            if numbers[0] == 4 { windowPixels = (numbers[2], numbers[1]) }
        case UInt8(ascii: "S") where isPrivate && numbers.count >= 3:
            // XTSMGRAPHICS reply: item 1 (colour registers), status 0 (success), value.
            if numbers[0] == 1 && numbers[1] == 0 { sixelRegisters = numbers[2] }
        default:
            break
        }
    }

    private mutating func readString(kind: UInt8, _ body: String) {
        if kind == UInt8(ascii: "_"), body.hasPrefix("G"), body.contains("i=31"), body.hasSuffix(";OK") {
            kittyGraphics = true
        }
        if kind == UInt8(ascii: "P"), body.hasPrefix("1$r") {
            // The SGR read back: "48;2;1;2;3m", "48:2:1:2:3m" or "48:2::1:2:3m" where 24-bit colour is
            // kept; a 256-colour terminal reports the palette entry it chose instead.
            let fields = body.dropFirst(3).split(whereSeparator: { $0 == ";" || $0 == ":" || $0 == "m" }).map(String.init)
            if fields.joined(separator: ",").contains("48,2,\(Self.probeColor.r),\(Self.probeColor.g),\(Self.probeColor.b)") {
                directColor = true
            }
        }
    }

    /// The colour the probe sets before asking the terminal to read its SGR state back: unlikely to
    /// be a palette entry, so only a terminal that keeps 24-bit colour can report it unchanged.
    public static let probeColor = (r: 1, g: 2, b: 3)
}
