/// Fits an image into a box of cells at the terminal's pixel resolution, keeping its aspect ratio:
/// how many pixels to send and which cells they cover.
public struct PixelFit: Equatable, Sendable {
    public var pixelWidth: Int
    public var pixelHeight: Int
    public var columns: Int
    public var rows: Int
    public var offsetX: Int
    public var offsetY: Int

    /// - Parameter sixBandHeight: sixel draws in bands of six pixel rows and some terminals round an
    ///   image's height up to a whole band; a height that is a multiple of six can never spill into
    ///   the row below the box (and scroll the screen when that row is the last).
    public init?(imageWidth: Int, imageHeight: Int, boxColumns: Int, boxRows: Int, cell: CellSize,
                 sixBandHeight: Bool = false) {
        guard imageWidth > 0, imageHeight > 0, boxColumns > 0, boxRows > 0 else { return nil }
        let boxWidth = boxColumns * cell.width, boxHeight = boxRows * cell.height
        let scale = min(Double(boxWidth) / Double(imageWidth), Double(boxHeight) / Double(imageHeight))
        pixelWidth = max(1, min(boxWidth, Int((Double(imageWidth) * scale).rounded(.down))))
        pixelHeight = max(1, min(boxHeight, Int((Double(imageHeight) * scale).rounded(.down))))
        if sixBandHeight, pixelHeight >= 6 { pixelHeight -= pixelHeight % 6 }
        columns = (pixelWidth + cell.width - 1) / cell.width
        rows = (pixelHeight + cell.height - 1) / cell.height
        offsetX = (boxColumns - columns) / 2
        offsetY = (boxRows - rows) / 2
    }
}

/// One character cell's size in pixels, from the terminal's answer to CSI 16 t (or its window size
/// divided by rows and columns); 10x20 when the terminal says nothing.
public struct CellSize: Equatable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public static let fallback = CellSize(width: 10, height: 20)

    /// "10x20" (the `--cell-size` option).
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...200).contains(w), (1...400).contains(h)
        else { return nil }
        self.init(width: w, height: h)
    }
}
