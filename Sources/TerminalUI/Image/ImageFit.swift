/// Fits an image into a box of terminal cells keeping its aspect ratio. A cell is about twice as
/// tall as wide, so one cell holds a 1x2 block of square pixels: two stacked pixels in half-block
/// modes, one averaged character in ASCII mode.
public struct ImageFit: Equatable, Sendable {
    /// Size of the downscaled image in square pixels.
    public var pixelWidth: Int
    public var pixelHeight: Int
    /// Cells the image occupies, and where inside the box it starts.
    public var columns: Int
    public var rows: Int
    public var offsetX: Int
    public var offsetY: Int

    public init?(imageWidth: Int, imageHeight: Int, boxColumns: Int, boxRows: Int) {
        guard imageWidth > 0, imageHeight > 0, boxColumns > 0, boxRows > 0 else { return nil }
        let scale = min(Double(boxColumns) / Double(imageWidth), Double(2 * boxRows) / Double(imageHeight))
        pixelWidth = max(1, min(boxColumns, Int((Double(imageWidth) * scale).rounded(.down))))
        pixelHeight = max(1, min(2 * boxRows, Int((Double(imageHeight) * scale).rounded(.down))))
        columns = pixelWidth
        rows = (pixelHeight + 1) / 2
        offsetX = (boxColumns - columns) / 2
        offsetY = (boxRows - rows) / 2
    }
}
