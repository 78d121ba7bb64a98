import Faces

/// Draws a patch-grid map over a rendered face: each half-block pixel is dimmed where the map is
/// cold and mixed toward the theme's heat colour where it is hot (ASCII mode, which has no colour,
/// shows the map itself as glyph density). The map covers the whole image, as the ViT saw it
/// (resized to a square, nothing cropped), so cell fractions index the grid directly.
public enum HeatOverlay {
    public static func blend(_ image: TerminalImage, map: [Float], gridRows: Int, gridColumns: Int, heat: RGB) -> TerminalImage {
        guard gridRows > 0, gridColumns > 0, map.count == gridRows * gridColumns, image.hasCells,
              let peak = map.max(), peak > 0 else { return image }
        func value(_ fx: Double, _ fy: Double) -> Double {
            let r = min(gridRows - 1, max(0, Int(fy * Double(gridRows))))
            let c = min(gridColumns - 1, max(0, Int(fx * Double(gridColumns))))
            return Double(map[r * gridColumns + c] / peak)
        }
        var out = image
        let pixelRows = Double(2 * image.rows)
        for row in 0..<image.rows {
            for column in 0..<image.columns {
                let fx = (Double(column) + 0.5) / Double(image.columns)
                let upper = value(fx, (Double(2 * row) + 0.5) / pixelRows)
                let lower = value(fx, (Double(2 * row) + 1.5) / pixelRows)
                var cell = image[column, row]
                if image.mode == .ascii {
                    let ramp = HalfBlockRenderer.asciiRamp
                    cell.glyph = ramp[min(ramp.count - 1, Int((upper + lower) / 2 * Double(ramp.count - 1) + 0.5))]
                } else {
                    cell.foreground = cell.foreground.map { mix($0, heat, upper) }
                    cell.background = cell.background.map { mix($0, heat, lower) }
                }
                out.cells[row * image.columns + column] = cell
            }
        }
        return out
    }

    /// Cold: the pixel at half brightness; hot: mostly the heat colour over the full pixel.
    static func mix(_ pixel: RGB, _ heat: RGB, _ v: Double) -> RGB {
        let keep = 0.5 + 0.5 * v, alpha = 0.65 * v
        func channel(_ p: UInt8, _ h: UInt8) -> UInt8 {
            UInt8(max(0, min(255, (Double(p) * keep * (1 - alpha) + Double(h) * alpha).rounded())))
        }
        return RGB(channel(pixel.r, heat.r), channel(pixel.g, heat.g), channel(pixel.b, heat.b))
    }

    /// Shows a region as it will be hidden: its cells in the occlusion grey (ASCII: blank).
    public static func grey(_ image: TerminalImage, region: OcclusionRegion) -> TerminalImage {
        let f = region.fractions
        let grey = RGB(Occlusion.grey, Occlusion.grey, Occlusion.grey)
        guard image.hasCells else { return image }
        var out = image
        let pixelRows = Double(2 * image.rows)
        func inside(_ fx: Double, _ fy: Double) -> Bool {
            fx >= f.x && fx < f.x + f.width && fy >= f.y && fy < f.y + f.height
        }
        for row in 0..<image.rows {
            for column in 0..<image.columns {
                let fx = (Double(column) + 0.5) / Double(image.columns)
                let up = inside(fx, (Double(2 * row) + 0.5) / pixelRows), low = inside(fx, (Double(2 * row) + 1.5) / pixelRows)
                guard up || low else { continue }
                var cell = image[column, row]
                if image.mode == .ascii {
                    cell.glyph = " "
                } else {
                    if up { cell.foreground = grey }
                    if low { cell.background = grey }
                }
                out.cells[row * image.columns + column] = cell
            }
        }
        return out
    }
}

extension TerminalImage {
    /// Cell faces carry one cell per position; a pixel face (kitty, iTerm2, sixel) carries none, and
    /// the overlays, which recolour cells, leave it alone (the explorer draws cells while one shows).
    var hasCells: Bool { columns > 0 && rows > 0 && cells.count == columns * rows }
}
