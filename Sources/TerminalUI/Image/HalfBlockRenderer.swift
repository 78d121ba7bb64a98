import Faces

/// Turns a face into terminal cells. Half-block modes put the upper pixel in the foreground of "▀"
/// and the lower pixel in the background, doubling vertical resolution (timg/viu's trick); ASCII mode
/// picks a character from a density ramp per cell.
public enum HalfBlockRenderer {
    public static let upperHalfBlock: Character = "▀"
    /// Light to dense, for a dark background.
    public static let asciiRamp: [Character] = Array(" .:-=+*#%@")

    public static func render(_ image: RGBImage, boxColumns: Int, boxRows: Int, mode: ImageMode) -> TerminalImage? {
        guard let fit = ImageFit(imageWidth: image.width, imageHeight: image.height,
                                 boxColumns: boxColumns, boxRows: boxRows) else { return nil }
        if mode == .ascii {
            let grid = AreaDownscale.resize(image, width: fit.columns, height: fit.rows)
            let cells = grid.pixels.map { ImageCell(glyph: asciiGlyph(luma: $0.luma), foreground: nil, background: nil) }
            return TerminalImage(columns: fit.columns, rows: fit.rows, offsetX: fit.offsetX, offsetY: fit.offsetY,
                                 mode: mode, cells: cells)
        }
        var grid = AreaDownscale.resize(image, width: fit.pixelWidth, height: fit.pixelHeight)
        if mode == .palette256 { grid = PaletteDither.floydSteinberg(grid) }
        var cells: [ImageCell] = []
        cells.reserveCapacity(fit.columns * fit.rows)
        for row in 0..<fit.rows {
            for x in 0..<fit.columns {
                let upper = grid[x, 2 * row]
                let lower: RGB? = 2 * row + 1 < grid.height ? grid[x, 2 * row + 1] : nil
                cells.append(ImageCell(glyph: upperHalfBlock, foreground: upper, background: lower))
            }
        }
        return TerminalImage(columns: fit.columns, rows: fit.rows, offsetX: fit.offsetX, offsetY: fit.offsetY,
                             mode: mode, cells: cells)
    }

    static func asciiGlyph(luma: Double) -> Character {
        let i = Int(luma / 256.0 * Double(asciiRamp.count))
        return asciiRamp[max(0, min(asciiRamp.count - 1, i))]
    }
}
