import Faces

/// How far a cell-based mode's colours are from the face it draws: mean OKLab ΔE (x100) between the
/// truecolor pixels and what the 256-colour path shows, per pixel and after a 3x3 box blur (dithering
/// is meant to be seen from a viewing distance where neighbouring cells mix; the blurred figure is
/// that mix). `facecap show --colour-error` prints these for a set of faces.
public enum ColourError {
    public struct Figures: Sendable {
        public var perPixel: Double
        public var blurred: Double
    }

    /// The three 256-colour paths compared: before this change (RGB-nearest), perceptual nearest, and
    /// perceptual nearest with error diffusion (what `palette256` draws now).
    public enum Path: String, CaseIterable, Sendable {
        case rgbNearest = "256, RGB-nearest (before)"
        case perceptualNearest = "256, OKLab-nearest"
        case perceptualDithered = "256, OKLab + diffusion (now)"
    }

    /// The face at the explorer's half-block resolution for a box of cells, as truecolor draws it.
    public static func truecolorGrid(_ image: RGBImage, boxColumns: Int, boxRows: Int) -> PixelGrid? {
        guard let fit = ImageFit(imageWidth: image.width, imageHeight: image.height, boxColumns: boxColumns, boxRows: boxRows)
        else { return nil }
        return AreaDownscale.resize(image, width: fit.pixelWidth, height: fit.pixelHeight)
    }

    public static func shown(_ grid: PixelGrid, path: Path) -> PixelGrid {
        switch path {
        case .rgbNearest:
            return PixelGrid(width: grid.width, height: grid.height,
                             pixels: grid.pixels.map { Palette256.color(ofIndex: Palette256.nearestIndex(to: $0)) })
        case .perceptualNearest:
            return PixelGrid(width: grid.width, height: grid.height,
                             pixels: grid.pixels.map { Palette256.color(ofIndex: Palette256.perceptualIndex(to: $0)) })
        case .perceptualDithered:
            return PaletteDither.floydSteinberg(grid)
        }
    }

    public static func measure(reference: PixelGrid, shown: PixelGrid) -> Figures {
        Figures(perPixel: meanDistance(reference, shown), blurred: meanDistance(blur(reference), blur(shown)))
    }

    static func meanDistance(_ a: PixelGrid, _ b: PixelGrid) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        var total = 0.0
        for i in a.pixels.indices { total += OKLab(a.pixels[i]).distance(to: OKLab(b.pixels[i])) }
        return total / Double(max(1, a.pixels.count))
    }

    /// 3x3 box blur, edges clamped.
    static func blur(_ g: PixelGrid) -> PixelGrid {
        var out = g.pixels
        for y in 0..<g.height {
            for x in 0..<g.width {
                var r = 0, gr = 0, b = 0, n = 0
                for dy in -1...1 {
                    for dx in -1...1 {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, nx < g.width, ny >= 0, ny < g.height else { continue }
                        let p = g[nx, ny]
                        r += Int(p.r); gr += Int(p.g); b += Int(p.b); n += 1
                    }
                }
                out[y * g.width + x] = RGB(UInt8(r / n), UInt8(gr / n), UInt8(b / n))
            }
        }
        return PixelGrid(width: g.width, height: g.height, pixels: out)
    }
}
