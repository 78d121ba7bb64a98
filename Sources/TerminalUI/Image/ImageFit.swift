/// Fits an image into a box of terminal cells keeping its aspect ratio, for the cell modes. A cell
/// is about twice as tall as wide, so one cell holds a 1x2 block of square pixels: two stacked
/// pixels in half-block modes, one averaged character in ASCII mode. That is `PixelFit` with a
/// "cell" of 1x2 pixels: one fitting rule for every mode.
public typealias ImageFit = PixelFit

extension PixelFit {
    public init?(imageWidth: Int, imageHeight: Int, boxColumns: Int, boxRows: Int) {
        self.init(imageWidth: imageWidth, imageHeight: imageHeight, boxColumns: boxColumns, boxRows: boxRows,
                  cell: CellSize(width: 1, height: 2))
    }
}
