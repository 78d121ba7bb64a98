/// One terminal cell of a drawn face. `nil` colours mean "the terminal's default".
public struct ImageCell: Equatable, Sendable {
    public var glyph: Character
    public var foreground: RGB?
    public var background: RGB?
}

/// A face encoded for a pixel protocol (kitty, iTerm2, sixel): the bytes that draw it with its
/// top-left corner at the cursor, encoded once per face and size and kept.
public struct EncodedGraphic: Equatable, Sendable {
    public var bytes: [UInt8]
    public var pixelWidth: Int
    public var pixelHeight: Int
    /// Tells one encoding from another without comparing bytes: the painter redraws only when it changes.
    public var serial: Int
}

/// A face rendered for a box of cells: `rows` x `columns` cells placed `offsetX`/`offsetY` cells
/// into the box so the face sits centred with its aspect ratio kept. Cell modes carry `cells`;
/// pixel modes carry `graphic` and no cells.
public struct TerminalImage: Equatable, Sendable {
    public var columns: Int
    public var rows: Int
    public var offsetX: Int
    public var offsetY: Int
    public var mode: ImageMode
    public var cells: [ImageCell]
    public var graphic: EncodedGraphic? = nil

    public subscript(column: Int, row: Int) -> ImageCell { cells[row * columns + column] }
}
