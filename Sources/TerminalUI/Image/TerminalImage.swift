/// One terminal cell of a drawn face. `nil` colours mean "the terminal's default".
public struct ImageCell: Equatable, Sendable {
    public var glyph: Character
    public var foreground: RGB?
    public var background: RGB?
}

/// A face rendered for a box of cells: `rows` x `columns` cells placed `offsetX`/`offsetY` cells
/// into the box so the face sits centred with its aspect ratio kept.
public struct TerminalImage: Equatable, Sendable {
    public var columns: Int
    public var rows: Int
    public var offsetX: Int
    public var offsetY: Int
    public var mode: ImageMode
    public var cells: [ImageCell]

    public subscript(column: Int, row: Int) -> ImageCell { cells[row * columns + column] }
}
